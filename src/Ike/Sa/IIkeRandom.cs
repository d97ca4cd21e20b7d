namespace KernelIpsec.Ike.Sa;

/// <summary>
/// Where cookies, nonces and message ids come from. The daemon uses <see cref="SystemIkeRandom"/>;
/// tests may pass a seeded source to make two runs comparable.
/// </summary>
public interface IIkeRandom
{
    void Fill(Span<byte> destination);
}
