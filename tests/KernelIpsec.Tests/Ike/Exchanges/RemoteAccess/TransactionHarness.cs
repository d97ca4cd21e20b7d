using System.Net;
using System.Text;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Crypto.Derivation;
using KernelIpsec.Ike.Crypto.DiffieHellman;
using KernelIpsec.Ike.Exchanges;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Exchanges.Proposals;
using KernelIpsec.Ike.Exchanges.Transaction;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Ike.Engine;

namespace KernelIpsec.Tests.Ike.Exchanges.RemoteAccess;

/// <summary>
/// Two established ISAKMP SAs with the same keys (derived from fixed inputs, AES-128/SHA-1) and a Transaction exchange
/// on each: the XAuth / Mode Config server on the responder, the client on the initiator. Tests deliver datagrams
/// between them, or seal messages of their own with <see cref="Seal"/> to play a misbehaving peer.
/// </summary>
internal sealed class TransactionHarness : IDisposable
{
    public static readonly IPEndPoint ClientEndpoint = new(IPAddress.Parse("10.77.0.1"), 500);
    public static readonly IPEndPoint ServerEndpoint = new(IPAddress.Parse("10.77.0.2"), 500);
    public static readonly byte[] LastPhase1Block = [.. Enumerable.Range(0xa0, 16).Select(b => (byte)b)];
    private const ulong CookieI = 0x1111111111111111, CookieR = 0x2222222222222222;

    public TransactionHarness(XauthRole serverRole, ModeConfigServer? pool = null, IIkeRandom? serverRandom = null, bool clientModeConfig = true)
    {
        Accounts = new RemoteAccessSetup.Accounts();
        var clientRemote = new RemoteConfig { Name = "10.77.0.2[500]", Address = ServerEndpoint.Address, ModeConfig = clientModeConfig, XauthLogin = RemoteAccessSetup.User };
        var serverRemote = new RemoteConfig { Name = "anonymous", ModeConfig = true };
        Client = new IsakmpSa(true, ExchangeMode.Main, ClientEndpoint, ServerEndpoint, clientRemote, CookieI) { ResponderCookie = CookieR };
        Server = new IsakmpSa(false, ExchangeMode.Main, ServerEndpoint, ClientEndpoint, serverRemote, CookieI) { ResponderCookie = CookieR };
        foreach (var sa in new[] { Client, Server })
        {
            sa.Adopt(Keys());
            sa.Establish(LastPhase1Block);
        }
        ClientServices = Services(new RacoonConfig(), PreSharedKeyTable.Parse($"{RemoteAccessSetup.User} {RemoteAccessSetup.Password}\n"), ClientLog, new SystemIkeRandom());
        ServerServices = Services(new RacoonConfig { ModeConfig = pool ?? RemoteAccessSetup.Pool() }, PreSharedKeyTable.Parse(""), ServerLog, serverRandom ?? new SystemIkeRandom());
        ServerExchange = new TransactionExchange(Server, ServerServices, serverRole, Now + TimeSpan.FromSeconds(30), ServerPool, new XauthThrottle());
        ClientExchange = new TransactionExchange(Client, ClientServices, serverRole == XauthRole.Server ? XauthRole.Client : XauthRole.None, Now + TimeSpan.FromSeconds(30),
            new AddressPool(), new XauthThrottle());
    }

    public static DateTimeOffset Now { get; } = new(2026, 12, 7, 22, 0, 0, TimeSpan.Zero);

    public RemoteAccessSetup.Accounts Accounts { get; }
    public IsakmpSa Client { get; }
    public IsakmpSa Server { get; }
    public ListLogger ClientLog { get; } = new();
    public ListLogger ServerLog { get; } = new();
    public ExchangeServices ClientServices { get; }
    public ExchangeServices ServerServices { get; }
    public AddressPool ServerPool { get; } = new();
    public TransactionExchange ClientExchange { get; }
    public TransactionExchange ServerExchange { get; }

    public static Phase1Offer Offer { get; } = new(1, EncryptionAlgorithm.AesCbc, 128, HashAlgorithm.Sha1, Phase1Offer.XauthInitPreShared, DhGroupId.Modp2048, 28800, 0);

    private static Phase1KeyMaterial Keys() => Phase1KeyMaterial.Derive(Offer, Encoding.ASCII.GetBytes("ikev1-rig-pre-shared-key-0123"),
        Fill(16, 0x11), Fill(16, 0x22), Fill(256, 0x33), IsakmpSa.CookieBytes(CookieI), IsakmpSa.CookieBytes(CookieR), Fill(256, 0x44), Fill(256, 0x55));

    private static byte[] Fill(int n, byte b) => [.. Enumerable.Repeat(b, n)];

    private ExchangeServices Services(RacoonConfig config, IPreSharedKeyStore keys, ListLogger log, IIkeRandom random) => new()
    {
        Config = config,
        PreSharedKeys = keys,
        Certificates = EnginePair.NoCertificates.Instance,
        Policies = new ListPolicyLookup(),
        Groups = DhGroups.CreateDefault(),
        Random = random,
        Log = log,
        Timers = new RetransmitSettings(5, TimeSpan.FromSeconds(10), 1, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)),
        Xauth = Accounts,
        Now = Now,
    };

    /// <summary>The datagrams among <paramref name="intents"/>.</summary>
    public static List<byte[]> Datagrams(IReadOnlyList<EngineIntent> intents) => [.. intents.OfType<SendDatagram>().Select(d => d.Datagram)];

    public static IReadOnlyList<EngineIntent> Deliver(TransactionExchange to, byte[] datagram)
    {
        Assert(IsakmpHeader.Read(datagram).TryGetValue(out var header, out _));
        return to.Handle(header, datagram);
    }

    /// <summary>HDR*, HASH, ATTR from <paramref name="from"/> under a message id and IV of the test's choosing.</summary>
    public static byte[] Seal(IsakmpSa from, uint messageId, byte[] iv, AttributePayload payload, bool forgeHash = false)
    {
        var keys = from.Keys!;
        var body = PayloadChain.ToArray([payload]);
        var hash = new byte[keys.Hash.HashLength];
        using (var prf = keys.PrfA())
        {
            Phase2Hash.Transaction(prf, messageId, body, hash);
        }
        if (forgeHash)
        {
            hash[0] ^= 1;
        }
        var full = new byte[Payload.GenericHeaderSize + hash.Length + body.Length];
        new HashPayload(hash).Write(full, PayloadType.Attribute);
        body.CopyTo(full, Payload.GenericHeaderSize + hash.Length);
        return MessageCrypto.Encrypted(from.Header(ExchangeType.Transaction, messageId), PayloadType.Hash, full, keys.Cipher, (byte[])iv.Clone());
    }

    /// <summary>The message id of a datagram, and the IV an answer under it continues with (its last ciphertext block).</summary>
    public static (uint MessageId, byte[] Iv) Continuation(byte[] datagram)
    {
        Assert(IsakmpHeader.Read(datagram).TryGetValue(out var header, out _));
        return (header.MessageId, datagram[^16..]);
    }

    private static void Assert(bool condition)
    {
        if (!condition)
        {
            throw new InvalidOperationException("not an ISAKMP datagram");
        }
    }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}
