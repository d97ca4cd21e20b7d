using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Exchanges.Messages;

/// <summary>A received message after decryption: its header and its payloads, with typed accessors that fail clearly.</summary>
internal sealed class InboundMessage
{
    public InboundMessage(IsakmpHeader header, IReadOnlyList<RawPayload> payloads, byte[] datagram)
    {
        Header = header;
        Payloads = payloads;
        Datagram = datagram;
    }

    public IsakmpHeader Header { get; }

    public IReadOnlyList<RawPayload> Payloads { get; }

    /// <summary>The datagram as received (for the duplicate check and for the last CBC block).</summary>
    public byte[] Datagram { get; }

    public RawPayload? Find(PayloadType type) => Payloads.FirstOrDefault(p => p.Type == type);

    public IEnumerable<RawPayload> All(PayloadType type) => Payloads.Where(p => p.Type == type);

    public RawPayload Require(PayloadType type, string exchange) =>
        Find(type) ?? throw ExchangeException.Drop($"{exchange}: no {type} payload", NotifyType.PayloadMalformed);

    public T Read<T>(RawPayload payload, WireReader<T> reader) =>
        reader(payload.Body).TryGetValue(out var value, out var error) ? value : throw ExchangeException.From(error, $"{payload.Type} payload");

    public T Require<T>(PayloadType type, WireReader<T> reader, string exchange) => Read(Require(type, exchange), reader);

    public T? Optional<T>(PayloadType type, WireReader<T> reader) where T : class =>
        Find(type) is { } p ? Read(p, reader) : null;

    /// <summary>The bytes every payload after the leading HASH occupies (RFC 2409 5.5 "message after HASH").</summary>
    public byte[] AfterHash(string exchange)
    {
        if (Payloads.Count == 0 || Payloads[0].Type != PayloadType.Hash)
        {
            throw ExchangeException.Drop($"{exchange}: the first payload is not HASH", NotifyType.InvalidHashInformation);
        }
        return [.. Payloads.Skip(1).SelectMany(p => p.Whole)];
    }

    public IEnumerable<T> ReadAll<T>(PayloadType type, WireReader<T> reader) => All(type).Select(p => Read(p, reader)).ToList();
}

internal delegate WireResult<T> WireReader<T>(ReadOnlySpan<byte> body);
