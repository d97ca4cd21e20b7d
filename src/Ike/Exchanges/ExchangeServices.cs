using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Crypto.DiffieHellman;
using KernelIpsec.Ike.Sa;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Ike.Exchanges;

/// <summary>
/// What an exchange may use: configuration, keys, randomness, the time of the event being handled (the engine's
/// caller gives it; nobody reads a clock) and the log. What an exchange wants done it returns (<see cref="Outbox"/>).
/// </summary>
internal sealed class ExchangeServices
{
    public required RacoonConfig Config { get; set; }
    public required IPreSharedKeyStore PreSharedKeys { get; init; }
    public required ICertificateVerifier Certificates { get; init; }
    public required IPolicyLookup Policies { get; init; }
    public required DhGroups Groups { get; init; }
    public required IIkeRandom Random { get; init; }
    public required ILogger Log { get; init; }
    public required RetransmitSettings Timers { get; init; }

    /// <summary>The XAuth server's account check (the daemon's auth_source); null: every login is refused.</summary>
    public IXauthAuthenticator? Xauth { get; init; }

    /// <summary>generate_policy's policies and reqid counter, one per engine.</summary>
    public GeneratedPolicies GeneratedPolicies { get; } = new();

    /// <summary>The time of the event being handled, set by the engine before it calls an exchange.</summary>
    public DateTimeOffset Now { get; set; }

    public byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Fill(bytes);
        return bytes;
    }

    public ulong RandomCookie()
    {
        Span<byte> b = stackalloc byte[8];
        ulong value;
        do
        {
            Random.Fill(b);
            value = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(b);
        }
        while (value == 0);
        return value;
    }

    public uint RandomMessageId()
    {
        Span<byte> b = stackalloc byte[4];
        uint value;
        do
        {
            Random.Fill(b);
            value = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(b);
        }
        while (value == 0);
        return value;
    }
}
