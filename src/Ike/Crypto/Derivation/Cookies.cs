namespace KernelIpsec.Ike.Crypto.Derivation;

/// <summary>The ISAKMP cookies (CKY-I, CKY-R) enter the derivations as the 8 bytes of the header.</summary>
internal static class Cookies
{
    public const int Length = 8;

    public static void Check(ReadOnlySpan<byte> cookieI, ReadOnlySpan<byte> cookieR)
    {
        if (cookieI.Length != Length)
            throw new ArgumentException($"CKY-I must be {Length} bytes, got {cookieI.Length}", nameof(cookieI));
        if (cookieR.Length != Length)
            throw new ArgumentException($"CKY-R must be {Length} bytes, got {cookieR.Length}", nameof(cookieR));
    }
}
