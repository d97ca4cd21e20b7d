namespace KernelIpsec.Ike.Sa;

/// <summary>Encapsulation mode of an IPsec SA (RFC 2407 4.5 Encapsulation Mode values).</summary>
public enum IpsecSaMode : byte
{
    Tunnel = 1,
    Transport = 2,
}
