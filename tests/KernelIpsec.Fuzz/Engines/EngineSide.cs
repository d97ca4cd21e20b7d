using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Crypto.DiffieHellman;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;
using AuthenticationMethod = KernelIpsec.Ike.Config.AuthenticationMethod;
using IkeEngine = KernelIpsec.Ike.Engine.Engine;

namespace KernelIpsec.Fuzz.Engines;

/// <summary>
/// One in-memory racoon engine of a two-host setup (left 10.77.0.1, right 10.77.0.2, PSK, main mode, the cheapest
/// group so a harness can negotiate a phase 1 per input), with a logger that turns internal errors into findings.
/// </summary>
internal sealed class EngineSide : IDisposable
{
    public static readonly IPAddress LeftAddress = IPAddress.Parse("10.77.0.1");
    public static readonly IPAddress RightAddress = IPAddress.Parse("10.77.0.2");
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private const string Psk = "fuzz-pre-shared-key";
    private static readonly DhGroups Groups = DhGroups.CreateDefault();
    private uint nextSpi = 0x1000;

    public EngineSide(bool left)
    {
        var self = left ? LeftAddress : RightAddress;
        var peer = left ? RightAddress : LeftAddress;
        Endpoint = new IPEndPoint(self, 500);
        PeerEndpoint = new IPEndPoint(peer, 500);
        var config = new RacoonConfig
        {
            Remotes =
            [
                new RemoteConfig
                {
                    Name = RemoteConfig.NameFor(peer, 500),
                    Address = peer,
                    ExchangeModes = [ExchangeMode.Main, ExchangeMode.Aggressive],
                    MyIdentifier = IdentifierConfig.OwnAddress,
                    ProposalCheck = ProposalCheckLevel.Obey,
                    Lifetime = TimeSpan.FromHours(4),
                    Proposals =
                    [
                        new Phase1Proposal
                        {
                            Encryption = new(EncryptionAlgorithm.TripleDesCbc, null), Hash = HashAlgorithm.Sha1,
                            AuthenticationMethod = AuthenticationMethod.PreSharedKey, DhGroup = DhGroupId.Modp768,
                        },
                    ],
                },
            ],
            Sainfos =
            [
                new SainfoConfig
                {
                    LocalId = SainfoId.ForAddress(self),
                    RemoteId = SainfoId.ForAddress(peer),
                    Lifetime = TimeSpan.FromHours(1),
                    EncryptionAlgorithms = [new(Phase2Encryption.TripleDes, null), new(Phase2Encryption.Aes, 128)],
                    AuthenticationAlgorithms = [Phase2Authentication.HmacSha1],
                    CompressionAlgorithms = [CompressionAlgorithm.Deflate],
                },
            ],
        };
        var policy = new IpsecPolicy(TrafficSelector.Host(self), TrafficSelector.Host(peer),
            [new SaTemplate(IpsecSaProtocol.Esp, IpsecSaMode.Transport, null, null, 0)], left ? 1u : 2u);
        Engine = new IkeEngine(config, PreSharedKeyTable.Parse($"{peer} {Psk}\n"), NoCertificates.Instance, new OnePolicy(policy),
            Groups, new SystemIkeRandom(), Log);
    }

    public IkeEngine Engine { get; }
    public IPEndPoint Endpoint { get; }
    public IPEndPoint PeerEndpoint { get; }
    public FindingLogger Log { get; } = new();

    /// <summary>
    /// Hands a datagram from the peer to the engine; answers its SPI requests as the kernel would (so quick modes
    /// go on); returns the datagrams it sent. Throws when the engine logged an internal error.
    /// </summary>
    public List<byte[]> Deliver(ReadOnlySpan<byte> datagram)
    {
        var sent = new List<byte[]>();
        Apply(Engine.HandleDatagram(Endpoint, PeerEndpoint, datagram, Now), sent);
        return sent;
    }

    public void Apply(IReadOnlyList<EngineIntent> intents, List<byte[]> sent)
    {
        Log.ThrowIfInternalError();
        foreach (var intent in intents)
        {
            switch (intent)
            {
                case SendDatagram d:
                    sent.Add(d.Datagram);
                    break;
                case AllocateSpi a:
                    Apply(Engine.HandleSpiAllocated(new SpiAllocation(a.RequestId, nextSpi++), Now), sent);
                    break;
            }
        }
    }

    public void Dispose() => Engine.Dispose();

    private sealed class OnePolicy(IpsecPolicy policy) : IPolicyLookup
    {
        public IpsecPolicy? FindOutbound(TrafficSelector local, TrafficSelector remote) =>
            policy.Local.Equals(local) && policy.Remote.Equals(remote) ? policy : null;
    }

    private sealed class NoCertificates : ICertificateVerifier
    {
        public static readonly NoCertificates Instance = new();

        public System.Security.Cryptography.X509Certificates.X509Certificate2? OwnCertificate(RemoteConfig remote) => null;

        public string? Verify(RemoteConfig remote, System.Security.Cryptography.X509Certificates.X509Certificate2 peer,
            IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> extra) => "no CA configured";
    }
}
