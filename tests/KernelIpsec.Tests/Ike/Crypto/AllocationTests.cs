using KernelIpsec.Ike.Crypto.Ciphers;
using KernelIpsec.Ike.Crypto.Derivation;
using KernelIpsec.Ike.Crypto.Hashes;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Crypto;

/// <summary>What the per-message paths (phase 2 HASH, KEYMAT, CBC with chained IV) allocate on the managed heap.</summary>
[TestFixture, Category(Tier.Unit)]
public class AllocationTests
{
    [Test]
    public void Phase2_hash_and_keymat_allocate_nothing()
    {
        using var prf = IkeHashAlgorithm.Sha2_256.CreatePrf(new byte[32]);
        var message = new byte[300];
        var nonce = new byte[32];
        var hash = new byte[32];
        var keymat = new byte[64];
        void Work()
        {
            Phase2Hash.QuickModeHash1(prf, 7, message, hash);
            Phase2Hash.QuickModeHash2(prf, 7, nonce, message, hash);
            Phase2Hash.QuickModeHash3(prf, 7, nonce, nonce, hash);
            Keymat.Derive(prf, message.AsSpan(0, 256), 3, 0x01020304, nonce, nonce, keymat);
        }
        Work();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
            Work();
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void Blowfish_cbc_with_chained_iv_allocates_nothing()
    {
        using var cipher = IkeCipherAlgorithm.Blowfish.Create(Enumerable.Range(1, 16).Select(i => (byte)(i * 37)).ToArray());
        Assert.That(AllocatedPerMessage(cipher, 512), Is.Zero);
    }

    /// <summary>
    /// .NET's CBC one-shots allocate a small native-context wrapper per call (tens of bytes),
    /// never in proportion to the message.
    /// </summary>
    [TestCase("aes", 16)]
    [TestCase("3des", 24)]
    public void DotNet_cbc_allocates_a_small_constant_per_message(string name, int keyLength)
    {
        using var cipher = IkeCipherAlgorithm.FindByName(name)!.Create(Enumerable.Range(1, keyLength).Select(i => (byte)(i * 37)).ToArray());
        long small = AllocatedPerMessage(cipher, 64);
        long large = AllocatedPerMessage(cipher, 4096);
        Assert.That(small, Is.LessThanOrEqualTo(256));
        // A one-off runtime allocation on this thread (tiered JIT, a loaded machine) can move the average by a byte;
        // allocation in proportion to the message would add thousands (4096 - 64 bytes).
        Assert.That(large, Is.InRange(small - 8, small + 8));
    }

    private static long AllocatedPerMessage(IkeCipher cipher, int length)
    {
        var iv = new byte[cipher.BlockSize];
        var data = new byte[length];
        cipher.Encrypt(iv, data, data);
        cipher.Decrypt(iv, data, data);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            cipher.Encrypt(iv, data, data);
            cipher.Decrypt(iv, data, data);
        }
        return (GC.GetAllocatedBytesForCurrentThread() - before) / 200;
    }
}
