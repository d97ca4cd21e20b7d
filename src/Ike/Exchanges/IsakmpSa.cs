using System.Buffers.Binary;
using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Crypto.Derivation;
using KernelIpsec.Ike.Exchanges.NatTraversal;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Exchanges;

/// <summary>
/// One ISAKMP SA as every exchange sees it: who the peer is (cookies, identity, the remote section) and where
/// (<see cref="Endpoints"/>), and, once phase 1 derived them, its keys (<see cref="Keys"/>). What a running phase 1
/// negotiates lives in its exchange; timers, DPD and the quick modes under the SA live in the engine.
/// </summary>
internal sealed class IsakmpSa : IDisposable
{
    private byte[]? phase1LastBlock;

    public IsakmpSa(bool isInitiator, ExchangeMode mode, IPEndPoint local, IPEndPoint peer, RemoteConfig remote, ulong initiatorCookie)
    {
        IsInitiator = isInitiator;
        Mode = mode;
        Endpoints = new PeerEndpoints(local, peer);
        Remote = remote;
        InitiatorCookie = initiatorCookie;
    }

    public bool IsInitiator { get; }
    public ExchangeMode Mode { get; }
    public PeerEndpoints Endpoints { get; }
    public IPEndPoint Local => Endpoints.Local;
    public IPEndPoint Peer => Endpoints.Peer;

    /// <summary>The remote section the SA was made with (a reload does not change it).</summary>
    public RemoteConfig Remote { get; }

    public ulong InitiatorCookie { get; }

    /// <summary>The initiator learns it from the first answer (and forgets it again if that answer was no good).</summary>
    public ulong ResponderCookie { get; set; }

    public IsakmpSaState State { get; set; } = IsakmpSaState.Negotiating;

    /// <summary>The peer's authenticated identity (phase 1 ID payload).</summary>
    public IdentificationPayload? PeerId { get; set; }

    /// <summary>Our XAuth login when we are the XAuth client and racoonctl vpn-connect -u gave one.</summary>
    public XauthCredentials? XauthClientCredentials { get; set; }

    /// <summary>NAT traversal: the dialect agreed, what NAT-D showed, whether IKE moved to the NAT-T port.</summary>
    public NatTState NatT { get; } = new();

    /// <summary>The peer announced RFC 3706 dead peer detection.</summary>
    public bool PeerSupportsDpd { get; set; }

    /// <summary>The keys, from derivation on; null before.</summary>
    public Phase1KeyMaterial? Keys { get; private set; }

    public bool HasKeys => Keys is not null;

    public string Index => RacoonText.Index(InitiatorCookie, ResponderCookie);

    public byte[] CookieI => CookieBytes(InitiatorCookie);
    public byte[] CookieR => CookieBytes(ResponderCookie);

    public static byte[] CookieBytes(ulong cookie)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(b, cookie);
        return b;
    }

    public IsakmpHeader Header(ExchangeType exchange, uint messageId = 0, IsakmpFlags flags = IsakmpFlags.None) =>
        new(InitiatorCookie, ResponderCookie, PayloadType.None, exchange, flags, messageId, 0);

    /// <summary>Takes the keys phase 1 derived (once).</summary>
    public void Adopt(Phase1KeyMaterial keys)
    {
        if (Keys is not null && !ReferenceEquals(Keys, keys))
        {
            throw new InvalidOperationException("the ISAKMP SA already has its keys");
        }
        Keys = keys;
    }

    /// <summary>Phase 1 is authenticated; <paramref name="lastBlock"/> is its last CBC block, the seed of every phase 2 IV.</summary>
    public void Establish(byte[] lastBlock)
    {
        phase1LastBlock = (byte[])lastBlock.Clone();
        State = IsakmpSaState.Established;
    }

    /// <summary>The first IV of a quick mode or informational exchange with this message id (RFC 2409 appendix B).</summary>
    public byte[] Phase2Iv(uint messageId) => IkeIv.Phase2(Keys!.Hash, phase1LastBlock!, messageId, Keys.CipherAlgorithm.BlockSize);

    public void Dispose() => Keys?.Dispose();
}
