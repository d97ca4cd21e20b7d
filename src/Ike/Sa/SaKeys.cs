namespace KernelIpsec.Ike.Sa;

/// <summary>Keys of one direction of an IPsec SA, cut from KEYMAT: encryption first, then authentication.</summary>
public sealed record SaKeys(byte[] Encryption, byte[] Authentication);
