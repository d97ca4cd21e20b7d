using System.Security.Cryptography;
using KernelIpsec.Ike.Crypto.Derivation;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Exchanges.Transaction;

/// <summary>
/// The Transaction exchange (ISAKMP exchange 6, draft-dukes-ike-mode-cfg-02) of one established ISAKMP SA: XAuth
/// (draft-beaulieu-ike-xauth-02) and Mode Config, as racoon runs them (<c>isakmp_xauth.c</c>, <c>isakmp_cfg.c</c>).
/// Every message is <c>HDR*, HASH, ATTR</c> with HASH = prf(SKEYID_a, M-ID | ATTR); a REQUEST or SET opens an
/// exchange under a fresh message id and its own IV (phase 2 style), the REPLY or ACK answers under the same id,
/// continuing that CBC chain.
/// <code>
///  XAuth server (after main mode)          XAuth client
///  REQUEST(TYPE, USER, PASSWORD)     -->                      <see cref="Step.AwaitXauthReply"/>
///                                    &lt;--   REPLY(TYPE, USER, PASSWORD)  <see cref="Step.AwaitXauthRequest"/>
///  SET(STATUS ok|fail)               -->                      <see cref="Step.AwaitStatusAck"/>
///                                    &lt;--   ACK(STATUS)                  <see cref="Step.AwaitXauthStatus"/>
///  Mode Config pull (`mode_cfg on` in the client's remote):
///                                    &lt;--   REQUEST(ADDR, MASK, DNS ...) <see cref="Step.AwaitConfigReply"/>
///  REPLY(ADDR, MASK, DNS ...)        -->                      <see cref="Step.AwaitConfigRequest"/>
///  Mode Config push (a server such as charon's with pull = no):
///  SET(ADDR, ...)                    -->
///                                    &lt;--   ACK(ADDR, ...)
/// </code>
/// A failed login ends with SET(STATUS fail) and the deletion of the phase 1 (the engine does that on a fatal
/// <see cref="ExchangeException"/>). The engine emits Phase1Up when <see cref="Completed"/> turns true.
/// </summary>
internal sealed partial class TransactionExchange
{
    private readonly AddressPool pool;
    private readonly XauthThrottle throttle;
    private Outbox? @out;
    private uint messageId;
    private byte[]? iv;
    private ushort identifier;
    private Step step;

    /// <summary>The pool and the throttle are the engine's (one each for all SAs), handed in.</summary>
    public TransactionExchange(IsakmpSa sa, ExchangeServices services, XauthRole role, DateTimeOffset deadline, AddressPool pool, XauthThrottle throttle)
    {
        this.pool = pool;
        this.throttle = throttle;
        Sa = sa;
        S = services;
        Role = role;
        Deadline = deadline;
        step = Step.Start;
    }

    private enum Step
    {
        /// <summary>Phase 1 just completed; <see cref="Start"/> decides what comes first.</summary>
        Start,
        AwaitXauthReply,
        AwaitStatusAck,
        AwaitConfigRequest,
        AwaitXauthRequest,
        AwaitXauthStatus,
        AwaitConfigReply,
        Done,
    }

    private IsakmpSa Sa { get; }

    private ExchangeServices S { get; }

    public XauthRole Role { get; }

    /// <summary>XAuth is done for this SA when it is not involved, or the login was accepted.</summary>
    public bool XauthOk { get; private set; }

    /// <summary>What racoon waits for before its phase1_up hook: the engine emits Phase1Up once this is true.</summary>
    public bool Completed { get; private set; }

    /// <summary>The login the server accepted or the client used (XAUTH_USER).</summary>
    public string? XauthUser { get; private set; }

    /// <summary>Mode Config attributes the client received or the server handed out.</summary>
    public ModeCfgAttributes? Attributes { get; private set; }

    /// <summary>Until when XAuth and Mode Config may take (the phase 1 negotiation timeout, from establishment).</summary>
    public DateTimeOffset Deadline { get; }

    /// <summary>The last datagram sent, and what to send again until the peer answers (null: nothing outstanding).</summary>
    public byte[]? LastSent { get; private set; }

    public byte[]? Retransmit { get; private set; }

    /// <summary>
    /// The answer (REPLY or ACK) the last <see cref="Handle"/> gave to the message it handled, null when none: what to
    /// send again when that message comes again. (A client's ACK may be followed by a REQUEST of its own in the same
    /// step; a resent SET must get the ACK, not that REQUEST.)
    /// </summary>
    public byte[]? LastAnswer { get; private set; }

    /// <summary>The server holds quick modes back until the peer logged in (racoon: no phase 2 before XAuth).</summary>
    public bool BlocksPhase2 => Role == XauthRole.Server && !XauthOk;

    private Outbox Out => @out ?? throw new InvalidOperationException("a transaction step runs only inside Start or Handle");

    /// <summary>Phase 1 is up: the XAuth server asks for the login at once; a Mode Config client without XAuth asks for its configuration.</summary>
    public IReadOnlyList<EngineIntent> Start() => Run(() =>
    {
        switch (Role)
        {
            case XauthRole.Server:
                SendXauthRequest();
                break;
            case XauthRole.Client:
                step = Step.AwaitXauthRequest;
                break;
            default:
                XauthOk = true;
                if (Sa.IsInitiator && Sa.Remote.ModeConfig)
                {
                    SendConfigRequest();
                }
                else
                {
                    step = Step.AwaitConfigRequest;
                    Completed = true;
                }
                break;
        }
    });

    /// <summary>A Transaction datagram for this SA: opened, verified, checked, then handled by its message type.</summary>
    public IReadOnlyList<EngineIntent> Handle(IsakmpHeader header, byte[] datagram) => Run(() =>
    {
        LastAnswer = null;
        var (payload, nextIv) = Open(header, datagram);
        var unknown = ModeCfgAttributeRules.Check(payload);
        // Authentic and well formed: this message id's CBC chain continues from it.
        messageId = header.MessageId;
        iv = nextIv;
        foreach (var type in unknown)
        {
            TransactionLog.IgnoredAttribute(S.Log, type.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        var isXauth = payload.Attributes.Any(a => a.Type is >= (ushort)ModeCfgAttributeType.XauthType and <= (ushort)ModeCfgAttributeType.XauthAnswer);
        switch (payload.MessageType)
        {
            case ModeCfgMessageType.Request when isXauth:
                ClientGotXauthRequest(payload);
                break;
            case ModeCfgMessageType.Request:
                ServerGotConfigRequest(payload, unknown);
                break;
            case ModeCfgMessageType.Reply when step == Step.AwaitXauthReply:
                ServerGotXauthReply(payload);
                break;
            case ModeCfgMessageType.Reply when step == Step.AwaitConfigReply:
                ClientGotConfigReply(payload);
                break;
            case ModeCfgMessageType.Reply:
                throw ExchangeException.Drop($"{(isXauth ? "Xauth reply" : "Mode Config REPLY")} while no request is outstanding (state {step})");
            case ModeCfgMessageType.Set when payload.TryGetAttribute(ModeCfgAttributeType.XauthStatus, out var status):
                ClientGotXauthStatus(payload, status);
                break;
            case ModeCfgMessageType.Set:
                ClientGotConfigSet(payload);
                break;
            case ModeCfgMessageType.Acknowledge when step == Step.AwaitStatusAck:
                ServerGotStatusAck();
                break;
            default:
                throw ExchangeException.Drop($"ACK while no SET is outstanding (state {step})");
        }
    });

    private IReadOnlyList<EngineIntent> Run(Action action) => Outbox.Run(o =>
    {
        @out = o;
        try
        {
            action();
        }
        finally
        {
            @out = null;
        }
    });

    private (AttributePayload Payload, byte[] NextIv) Open(IsakmpHeader header, byte[] datagram)
    {
        if (!header.IsEncrypted)
        {
            throw ExchangeException.Drop("User credentials sent in cleartext!");
        }
        if (header.MessageId == 0)
        {
            throw ExchangeException.Drop("Transaction exchange with message id 0", NotifyType.InvalidMessageId);
        }
        var keys = Sa.Keys!;
        var start = header.MessageId == messageId && iv is not null ? iv : Sa.Phase2Iv(header.MessageId);
        var (plain, nextIv) = MessageCrypto.Decrypt(header, datagram, keys.Cipher, start);
        var message = MessageCrypto.Open(header, datagram, plain);
        var rest = message.AfterHash("transaction");
        var expected = new byte[keys.Hash.HashLength];
        using (var prfA = keys.PrfA())
        {
            Phase2Hash.Transaction(prfA, header.MessageId, rest, expected);
        }
        var hash = message.Read(message.Payloads[0], HashPayload.Read);
        if (!CryptographicOperations.FixedTimeEquals(hash.Data, expected))
        {
            throw ExchangeException.Drop("Hash verification failed", NotifyType.InvalidHashInformation);
        }
        var attributes = message.All(PayloadType.Attribute).ToList();
        if (attributes.Count != 1)
        {
            throw ExchangeException.Drop($"transaction message with {attributes.Count} ATTR payloads, expected one", NotifyType.PayloadMalformed);
        }
        return (message.Read(attributes[0], AttributePayload.Read), nextIv);
    }

    /// <summary>HDR*, HASH, ATTR under the current message id (a new one, with a new IV, for a REQUEST or SET).</summary>
    private void Send(ModeCfgMessageType type, ushort id, DataAttribute[] attributes, bool newExchange, bool expectAnswer)
    {
        if (newExchange)
        {
            messageId = S.RandomMessageId();
            iv = Sa.Phase2Iv(messageId);
        }
        var keys = Sa.Keys!;
        var body = PayloadChain.ToArray([new AttributePayload(type, id, attributes)]);
        var hash = new byte[keys.Hash.HashLength];
        using (var prfA = keys.PrfA())
        {
            Phase2Hash.Transaction(prfA, messageId, body, hash);
        }
        var full = new byte[Payload.GenericHeaderSize + hash.Length + body.Length];
        new HashPayload(hash).Write(full, PayloadType.Attribute);
        body.CopyTo(full, Payload.GenericHeaderSize + hash.Length);
        var datagram = MessageCrypto.Encrypted(Sa.Header(ExchangeType.Transaction, messageId), PayloadType.Hash, full, keys.Cipher, iv!);
        LastSent = datagram;
        Retransmit = expectAnswer ? datagram : null;
        if (!newExchange)
        {
            LastAnswer = datagram;
        }
        Out.Send(Sa.Local, Sa.Peer, datagram, S.Timers.PerSend);
    }

    private ushort NewIdentifier()
    {
        Span<byte> b = stackalloc byte[2];
        S.Random.Fill(b);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(b);
    }

    /// <summary>The pool slot this SA holds goes back (the engine calls it when the phase 1 goes); returns the slot freed.</summary>
    public int? ReleaseLease() => pool.Release(this);

    /// <summary>The pool slot this SA's address lease holds (a server's), or null.</summary>
    public int? LeaseSlot => pool.SlotOf(this);
}
