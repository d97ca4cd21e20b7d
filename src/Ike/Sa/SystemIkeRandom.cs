using System.Security.Cryptography;

namespace KernelIpsec.Ike.Sa;

/// <summary>The operating system's CSPRNG.</summary>
public sealed class SystemIkeRandom : IIkeRandom
{
    public void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);
}
