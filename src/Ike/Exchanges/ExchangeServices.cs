using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Crypto.DiffieHellman;
using KernelIpsec.Ike.Sa;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Ike.Exchanges;

/// <summary>What an exchange may use: configuration, keys, randomness, the clock, the log, and the intent list it appends to.</summary>
internal sealed class ExchangeServices
{
    public required RacoonConfig Config { get; set; }
    public required IPreSharedKeyStore PreSharedKeys { get; init; }
    public required ICertificateVerifier Certificates { get; init; }
    public required IPolicyLookup Policies { get; init; }
    public required DhGroups Groups { get; init; }
    public required IIkeRandom Random { get; init; }
    public required TimeProvider Clock { get; init; }
    public required ILogger Log { get; init; }
    public required RetransmitSettings Timers { get; init; }
    public required ReceivedPacketCache Received { get; init; }

    /// <summary>Intents produced by the current call; the engine hands them to the daemon.</summary>
    public List<EngineIntent> Out { get; } = [];

    public DateTimeOffset Now => Clock.GetUtcNow();

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

    public void Send(System.Net.IPEndPoint local, System.Net.IPEndPoint remote, byte[] datagram, int copies = 1)
    {
        for (var i = 0; i < copies; i++)
        {
            Out.Add(new SendDatagram(local, remote, datagram));
        }
    }
}
