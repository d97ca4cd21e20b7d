namespace KernelIpsec.Netlink.PfKey;

/// <summary>A PF_KEY message did not have the shape its header or an extension promised (names the field).</summary>
public sealed class PfKeyFormatException : Exception
{
    public PfKeyFormatException(string message)
        : base("malformed PF_KEY message: " + message)
    {
    }
}
