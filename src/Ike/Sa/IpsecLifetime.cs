namespace KernelIpsec.Ike.Sa;

/// <summary>Negotiated hard lifetime of an IPsec SA; 0 = no limit of that kind.</summary>
public sealed record IpsecLifetime(ulong Seconds, ulong Kilobytes)
{
    public ulong Bytes => Kilobytes * 1024;
}
