using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using KernelIpsec.Ike.Exchanges;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Crypto.Ciphers;
using KernelIpsec.Ike.Crypto.Derivation;
using KernelIpsec.Ike.Crypto.DiffieHellman;
using KernelIpsec.Ike.Crypto.Hashes;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Exchanges.Proposals;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Exchanges.Phase1;

/// <summary>
/// One ISAKMP SA (racoon's <c>ph1handle</c>): who and which cookies, what was negotiated, the keys, the running
/// phase 1 IV, and the timers of the exchange that builds it. Main and aggressive mode fill it in; quick mode and
/// informational exchanges use its keys.
/// </summary>
internal sealed class IsakmpSa : IDisposable
{
    public IsakmpSa(bool isInitiator, ExchangeMode mode, IPEndPoint local, IPEndPoint peer, RemoteConfig remote, ulong initiatorCookie)
    {
        IsInitiator = isInitiator;
        Mode = mode;
        Local = local;
        Peer = peer;
        Remote = remote;
        InitiatorCookie = initiatorCookie;
    }

    public bool IsInitiator { get; }
    public ExchangeMode Mode { get; }
    public IPEndPoint Local { get; }
    public IPEndPoint Peer { get; }
    public RemoteConfig Remote { get; set; }
    public ulong InitiatorCookie { get; }
    public ulong ResponderCookie { get; set; }
    public IsakmpSaState State { get; set; } = IsakmpSaState.Negotiating;

    /// <summary>The exchange building this SA (main or aggressive mode).</summary>
    public Phase1Exchange? Exchange { get; set; }

    // What was negotiated
    public byte[]? SaInitiatorBody { get; set; }
    public Phase1Offer? Chosen { get; set; }
    public DhKeyPair? Dh { get; set; }
    public byte[]? PublicI { get; set; }
    public byte[]? PublicR { get; set; }
    public byte[]? NonceI { get; set; }
    public byte[]? NonceR { get; set; }
    public IdentificationPayload? PeerId { get; set; }
    public bool PeerSupportsDpd { get; set; }
    public bool PeerRequestedCertificate { get; set; }

    // Keys
    public IkeHashAlgorithm? Hash { get; private set; }
    public IkeCipherAlgorithm? CipherAlgorithm { get; private set; }
    public IkeCipher? Cipher { get; private set; }
    public byte[]? Skeyid { get; private set; }
    public Phase1Keys? Keys { get; private set; }

    /// <summary>The phase 1 CBC chain: initial IV, then the last ciphertext block of each phase 1 message.</summary>
    public byte[]? Iv { get; set; }

    /// <summary>The last CBC block of phase 1 (RFC 2409 appendix B), from which every phase 2 IV is derived.</summary>
    public byte[]? Phase1LastBlock { get; set; }

    public bool HasKeys => Keys is not null;

    // Timers of the running phase 1 exchange
    public Retransmission? Resend { get; set; }
    public DateTimeOffset NegotiationDeadline { get; set; }
    public DateTimeOffset? EstablishedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Why the last message was refused, for the timeout's reason.</summary>
    public string? LastError { get; set; }

    /// <summary>Quick modes running under this SA, by message id.</summary>
    public Dictionary<uint, Phase2.QuickMode> QuickModes { get; } = [];

    /// <summary>Message ids of every quick mode run under this SA: a replayed first message must not start another one.</summary>
    public HashSet<uint> UsedMessageIds { get; } = [];

    /// <summary>Kernel requests waiting for this SA to be established.</summary>
    public List<AcquireRequest> PendingAcquires { get; } = [];

    // Dead peer detection (RFC 3706)
    public uint DpdSequence { get; set; }
    public uint? DpdOutstanding { get; set; }
    public int DpdFailures { get; set; }
    public DateTimeOffset? DpdNext { get; set; }
    public DateTimeOffset LastHeardFromPeer { get; set; }

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

    /// <summary>Derives SKEYID.. and the cipher from g^xy; the caller commits the result only once everything else succeeded.</summary>
    public static DerivedKeys Derive(Phase1Offer chosen, byte[]? preSharedKey, byte[] nonceI, byte[] nonceR, byte[] sharedSecret,
        byte[] cookieI, byte[] cookieR, byte[] publicI, byte[] publicR)
    {
        var hash = IkeHashAlgorithm.Find(chosen.Hash)
            ?? throw ExchangeException.Abort($"hash algorithm {chosen.Hash} is not supported", NotifyType.AttributesNotSupported);
        var cipherAlgorithm = IkeCipherAlgorithm.Find(chosen.Encryption)
            ?? throw ExchangeException.Abort($"encryption algorithm {chosen.Encryption} is not supported", NotifyType.AttributesNotSupported);
        var skeyid = preSharedKey is not null
            ? Crypto.Derivation.Skeyid.ForPreSharedKey(hash, preSharedKey, nonceI, nonceR)
            : Crypto.Derivation.Skeyid.ForSignatures(hash, nonceI, nonceR, sharedSecret);
        var keys = Phase1Keys.Derive(hash, skeyid, sharedSecret, cookieI, cookieR, cipherAlgorithm.KeyLengthBytes(chosen.KeyBits));
        var cipher = cipherAlgorithm.Create(keys.EncryptionKey);
        var iv = IkeIv.Phase1(hash, publicI, publicR, cipherAlgorithm.BlockSize);
        return new DerivedKeys(hash, cipherAlgorithm, cipher, skeyid, keys, iv);
    }

    public void Adopt(DerivedKeys keys)
    {
        Hash = keys.Hash;
        CipherAlgorithm = keys.CipherAlgorithm;
        Cipher = keys.Cipher;
        Skeyid = keys.Skeyid;
        Keys = keys.Keys;
        Iv = keys.Iv;
    }

    /// <summary>A PRF keyed with SKEYID (HASH_I/HASH_R).</summary>
    public IkePrf PrfSkeyid() => Hash!.CreatePrf(Skeyid!);

    /// <summary>A PRF keyed with SKEYID_a (phase 2 and informational HASH payloads).</summary>
    public IkePrf PrfA() => Hash!.CreatePrf(Keys!.SkeyidA);

    /// <summary>A PRF keyed with SKEYID_d (KEYMAT).</summary>
    public IkePrf PrfD() => Hash!.CreatePrf(Keys!.SkeyidD);

    /// <summary>The first IV of a quick mode or informational exchange with this message id.</summary>
    public byte[] Phase2Iv(uint messageId) => IkeIv.Phase2(Hash!, Phase1LastBlock!, messageId, CipherAlgorithm!.BlockSize);

    public void Dispose()
    {
        Dh?.Dispose();
        Cipher?.Dispose();
        Keys?.Dispose();
        if (Skeyid is not null)
        {
            CryptographicOperations.ZeroMemory(Skeyid);
        }
    }
}

internal sealed record DerivedKeys(IkeHashAlgorithm Hash, IkeCipherAlgorithm CipherAlgorithm, IkeCipher Cipher, byte[] Skeyid, Phase1Keys Keys, byte[] Iv);
