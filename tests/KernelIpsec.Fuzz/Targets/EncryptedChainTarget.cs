using System.Buffers.Binary;
using KernelIpsec.Fuzz.Engines;
using KernelIpsec.Ike.Crypto.Derivation;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Fuzz.Targets;

/// <summary>
/// The payload chain past the HASH, through the engine's real decryption and HASH check. Per input two engines
/// negotiate a phase 1 (main mode, PSK, modp768); the harness then plays the peer: it takes the responder's
/// ISAKMP SA keys, puts a correct HASH(1) before the fuzzed chain, encrypts it with the SA's cipher and phase-2
/// IV, and delivers it to the responder. Input: byte 0 picks the exchange (informational, quick mode,
/// transaction), bytes 1-4 the message ID, byte 5 the first payload type after the HASH, the rest that chain.
/// </summary>
public sealed class EncryptedChainTarget : IFuzzTarget
{
    private static readonly ExchangeType[] Exchanges = [ExchangeType.Informational, ExchangeType.QuickMode, ExchangeType.Transaction];

    public string Name => "encrypted";

    /// <summary>How many datagrams the responder sent for the last input: a quick mode answer proves the harness got past the HASH.</summary>
    public int Answers { get; private set; }

    public void Run(ReadOnlySpan<byte> input)
    {
        Answers = 0;
        if (input.Length < 6)
        {
            return;
        }

        var exchange = Exchanges[input[0] % Exchanges.Length];
        var messageId = BinaryPrimitives.ReadUInt32BigEndian(input[1..]) | 1; // 0 is phase 1's
        var first = (PayloadType)input[5];
        var chain = input[6..];

        using var initiator = new EngineSide(left: true);
        using var responder = new EngineSide(left: false);
        Phase1.Negotiate(initiator, responder);
        var up = responder.Engine.Phase1Sas.Single(p => p.Established);
        var sa = responder.Engine.FindIsakmpSa(up.InitiatorCookie, up.ResponderCookie)!;

        var keys = sa.Keys!;
        var hash = new byte[keys.Hash.HashLength];
        using (var prfA = keys.PrfA())
        {
            _ = exchange switch
            {
                ExchangeType.Informational => Phase2Hash.Informational(prfA, messageId, chain, hash),
                ExchangeType.QuickMode => Phase2Hash.QuickModeHash1(prfA, messageId, chain, hash),
                _ => Phase2Hash.Transaction(prfA, messageId, chain, hash),
            };
        }
        var full = new byte[Payload.GenericHeaderSize + hash.Length + chain.Length];
        new HashPayload(hash).Write(full, first);
        chain.CopyTo(full.AsSpan(Payload.GenericHeaderSize + hash.Length));
        var datagram = MessageCrypto.Encrypted(sa.Header(exchange, messageId), PayloadType.Hash, full, keys.Cipher, sa.Phase2Iv(messageId));
        Answers = responder.Deliver(datagram).Count;
    }
}
