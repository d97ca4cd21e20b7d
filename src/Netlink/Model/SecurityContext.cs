namespace KernelIpsec.Netlink.Model;

/// <summary>
/// An LSM security label (setkey <c>-ctx doi alg "context"</c>; XFRM <c>XFRMA_SEC_CTX</c>).
/// </summary>
public sealed record SecurityContext
{
    public SecurityContext(byte doi, byte algorithm, string context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Length == 0)
            throw new ArgumentException("security context string is empty", nameof(context));
        if (context.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException("security context string contains a NUL character", nameof(context));
        if (System.Text.Encoding.UTF8.GetByteCount(context) > ushort.MaxValue - 1)
            throw new ArgumentException("security context string is longer than 65534 bytes", nameof(context));
        Doi = doi;
        Algorithm = algorithm;
        Context = context;
    }

    public byte Doi { get; }

    public byte Algorithm { get; }

    public string Context { get; }

    public override string ToString() => $"doi {Doi} alg {Algorithm} \"{Context}\"";
}
