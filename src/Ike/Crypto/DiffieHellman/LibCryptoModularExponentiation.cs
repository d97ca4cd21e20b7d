namespace KernelIpsec.Ike.Crypto.DiffieHellman;

/// <summary>
/// MODP exponentiation with OpenSSL's libcrypto (BN_mod_exp_mont_consttime over a Montgomery
/// context computed once per group). Why: .NET's BigInteger.ModPow is ~100x slower than OpenSSL
/// for 2048-bit groups, which would cap a responder near 20 main modes per second per core
/// (BENCHMARKS.md). Native memory is owned by <see cref="SafeHandle"/>s; each call uses its own
/// BN_CTX, so a modulus is shared freely between threads (the Montgomery context is read-only).
/// </summary>
public sealed class LibCryptoModularExponentiation : IModularExponentiation
{
    private LibCryptoModularExponentiation()
    {
    }

    public string Name => "libcrypto";

    /// <summary>The backend, or null when libcrypto.so.3 is not on this system.</summary>
    public static LibCryptoModularExponentiation? TryCreate()
        => LibCrypto.IsAvailable() ? new LibCryptoModularExponentiation() : null;

    public IModulus CreateModulus(ReadOnlySpan<byte> modulus) => new Modulus(modulus);

    private sealed unsafe class Modulus : IModulus
    {
        private readonly BigNumHandle modulus;
        private readonly MontgomeryHandle montgomery;

        public Modulus(ReadOnlySpan<byte> modulus)
        {
            if (modulus.IsEmpty || (modulus[^1] & 1) == 0)
                throw new ArgumentException("modulus must be odd", nameof(modulus));
            Length = modulus.Length;
            this.modulus = BigNumHandle.FromBytes(modulus, clearOnFree: false);
            montgomery = new MontgomeryHandle(LibCrypto.BN_MONT_CTX_new());
            if (montgomery.IsInvalid)
                throw new OutOfMemoryException("BN_MONT_CTX_new failed");
            nint ctx = LibCrypto.BN_CTX_new();
            if (ctx == 0)
                throw new OutOfMemoryException("BN_CTX_new failed");
            try
            {
                if (LibCrypto.BN_MONT_CTX_set(montgomery.DangerousGetHandle(), this.modulus.DangerousGetHandle(), ctx) != 1)
                    throw new IkeCryptoException("libcrypto: BN_MONT_CTX_set failed");
            }
            finally
            {
                LibCrypto.BN_CTX_free(ctx);
            }
        }

        public int Length { get; }

        public void ModPow(ReadOnlySpan<byte> value, ReadOnlySpan<byte> secretExponent, Span<byte> result)
        {
            if (result.Length != Length)
                throw new ArgumentException($"result must be {Length} bytes", nameof(result));
            nint ctx = 0, a = 0, p = 0, r = 0;
            bool modulusRef = false, montRef = false;
            try
            {
                modulus.DangerousAddRef(ref modulusRef);
                montgomery.DangerousAddRef(ref montRef);
                ctx = LibCrypto.BN_CTX_new();
                fixed (byte* valuePtr = value)
                fixed (byte* exponentPtr = secretExponent)
                {
                    a = LibCrypto.BN_bin2bn(valuePtr, value.Length, 0);
                    p = LibCrypto.BN_bin2bn(exponentPtr, secretExponent.Length, 0);
                }
                r = LibCrypto.BN_new();
                if (ctx == 0 || a == 0 || p == 0 || r == 0)
                    throw new OutOfMemoryException("libcrypto: BIGNUM allocation failed");
                if (LibCrypto.BN_mod_exp_mont_consttime(r, a, p, modulus.DangerousGetHandle(), ctx, montgomery.DangerousGetHandle()) != 1)
                    throw new IkeCryptoException("libcrypto: BN_mod_exp_mont_consttime failed");
                fixed (byte* resultPtr = result)
                {
                    if (LibCrypto.BN_bn2binpad(r, resultPtr, result.Length) != result.Length)
                        throw new IkeCryptoException("libcrypto: BN_bn2binpad failed");
                }
            }
            finally
            {
                // the exponent and the result may be secrets (private key, g^xy): clear before freeing
                if (p != 0) LibCrypto.BN_clear_free(p);
                if (r != 0) LibCrypto.BN_clear_free(r);
                if (a != 0) LibCrypto.BN_free(a);
                if (ctx != 0) LibCrypto.BN_CTX_free(ctx);
                if (modulusRef) modulus.DangerousRelease();
                if (montRef) montgomery.DangerousRelease();
            }
        }
    }

    private sealed class BigNumHandle : System.Runtime.InteropServices.SafeHandle
    {
        private readonly bool clearOnFree;

        private BigNumHandle(nint handle, bool clearOnFree)
            : base(0, ownsHandle: true)
        {
            SetHandle(handle);
            this.clearOnFree = clearOnFree;
        }

        public override bool IsInvalid => handle == 0;

        public static unsafe BigNumHandle FromBytes(ReadOnlySpan<byte> bytes, bool clearOnFree)
        {
            nint bn;
            fixed (byte* ptr = bytes)
                bn = LibCrypto.BN_bin2bn(ptr, bytes.Length, 0);
            if (bn == 0)
                throw new OutOfMemoryException("BN_bin2bn failed");
            return new BigNumHandle(bn, clearOnFree);
        }

        protected override bool ReleaseHandle()
        {
            if (clearOnFree)
                LibCrypto.BN_clear_free(handle);
            else
                LibCrypto.BN_free(handle);
            return true;
        }
    }

    private sealed class MontgomeryHandle : System.Runtime.InteropServices.SafeHandle
    {
        public MontgomeryHandle(nint handle)
            : base(0, ownsHandle: true)
        {
            SetHandle(handle);
        }

        public override bool IsInvalid => handle == 0;

        protected override bool ReleaseHandle()
        {
            LibCrypto.BN_MONT_CTX_free(handle);
            return true;
        }
    }
}
