using System.Runtime.InteropServices;

namespace KernelIpsec.Ike.Crypto.DiffieHellman;

/// <summary>
/// The few OpenSSL 3 libcrypto BIGNUM functions the MODP groups need (openssl/bn.h). .NET on Linux
/// already loads libcrypto.so.3 for System.Security.Cryptography, so this adds no dependency.
/// LibraryImport (source-generated marshalling) keeps it NativeAOT-compatible.
/// </summary>
internal static partial class LibCrypto
{
    public const string LibraryName = "libcrypto.so.3";

    /// <summary>True if libcrypto.so.3 can be loaded and has the functions used here.</summary>
    public static bool IsAvailable()
    {
        if (!NativeLibrary.TryLoad(LibraryName, out var handle))
            return false;
        return NativeLibrary.TryGetExport(handle, "BN_mod_exp_mont_consttime", out _)
            && NativeLibrary.TryGetExport(handle, "BN_bn2binpad", out _)
            && NativeLibrary.TryGetExport(handle, "BN_MONT_CTX_set", out _);
    }

    [LibraryImport(LibraryName)]
    public static partial nint BN_new();

    [LibraryImport(LibraryName)]
    public static partial void BN_free(nint bn);

    [LibraryImport(LibraryName)]
    public static partial void BN_clear_free(nint bn);

    [LibraryImport(LibraryName)]
    public static unsafe partial nint BN_bin2bn(byte* s, int len, nint ret);

    [LibraryImport(LibraryName)]
    public static unsafe partial int BN_bn2binpad(nint a, byte* to, int tolen);

    [LibraryImport(LibraryName)]
    public static partial nint BN_CTX_new();

    [LibraryImport(LibraryName)]
    public static partial void BN_CTX_free(nint ctx);

    [LibraryImport(LibraryName)]
    public static partial nint BN_MONT_CTX_new();

    [LibraryImport(LibraryName)]
    public static partial int BN_MONT_CTX_set(nint mont, nint mod, nint ctx);

    [LibraryImport(LibraryName)]
    public static partial void BN_MONT_CTX_free(nint mont);

    /// <summary>rr = a^p mod m in constant time with respect to p, using the precomputed Montgomery context.</summary>
    [LibraryImport(LibraryName)]
    public static partial int BN_mod_exp_mont_consttime(nint rr, nint a, nint p, nint m, nint ctx, nint inMont);
}
