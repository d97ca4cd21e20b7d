using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;
using AuthenticationMethod = KernelIpsec.Ike.Config.AuthenticationMethod;

namespace KernelIpsec.Tests.Ike.Exchanges;

/// <summary>
/// The interop rig's variants as racoon.conf models: left 10.77.0.1, right 10.77.0.2, one <c>remote</c> for the
/// other side and one <c>sainfo</c> per direction, plus the setkey policies both sides would hold.
/// </summary>
internal sealed record Scenario
{
    public static readonly IPAddress LeftAddress = IPAddress.Parse("10.77.0.1");
    public static readonly IPAddress RightAddress = IPAddress.Parse("10.77.0.2");
    public const string Psk = "ikev1-rig-pre-shared-key-0123";

    /// <summary>The two hosts; the IPv4 rig addresses unless a test runs over IPv6 (fd77::1, fd77::2).</summary>
    public IPAddress Left { get; init; } = LeftAddress;
    public IPAddress Right { get; init; } = RightAddress;

    public ExchangeMode Mode { get; init; } = ExchangeMode.Main;
    public AuthenticationMethod Auth { get; init; } = AuthenticationMethod.PreSharedKey;
    public CipherChoice<EncryptionAlgorithm> Cipher { get; init; } = new(EncryptionAlgorithm.TripleDesCbc, null);
    public HashAlgorithm Hash { get; init; } = HashAlgorithm.Sha1;
    public DhGroupId Group { get; init; } = DhGroupId.Modp1024;
    public CipherChoice<Phase2Encryption> EspCipher { get; init; } = new(Phase2Encryption.TripleDes, null);
    public Phase2Authentication EspAuth { get; init; } = Phase2Authentication.HmacSha1;
    public DhGroupId? Pfs { get; init; } = DhGroupId.Modp1024;
    public bool Tunnel { get; init; }
    public IReadOnlyList<IpsecSaProtocol> Bundle { get; init; } = [IpsecSaProtocol.Esp];
    public ProposalCheckLevel ProposalCheck { get; init; } = ProposalCheckLevel.Strict;
    public TimeSpan Phase2Lifetime { get; init; } = TimeSpan.FromHours(1);
    public IdentifierConfig? LeftId { get; init; }
    public IdentifierConfig? RightId { get; init; }
    public IReadOnlyList<IdentifierConfig> LeftExpects { get; init; } = [];
    public IReadOnlyList<IdentifierConfig> RightExpects { get; init; } = [];
    public bool VerifyIdentifier { get; init; }
    public TimerConfig Timers { get; init; } = new();
    public TimeSpan DpdDelay { get; init; } = TimeSpan.Zero;

    public TrafficSelector LeftTraffic(bool tunnel) => tunnel
        ? new TrafficSelector(IPNetwork.Parse(Left.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "fd77:1::/64" : "10.77.1.0/24"), 0, 0)
        : TrafficSelector.Host(Left);

    public TrafficSelector RightTraffic(bool tunnel) => tunnel
        ? new TrafficSelector(IPNetwork.Parse(Left.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "fd77:2::/64" : "10.77.2.0/24"), 0, 0)
        : TrafficSelector.Host(Right);

    public RacoonConfig ConfigFor(bool left, Func<RemoteConfig, RemoteConfig>? adjust = null, Func<SainfoConfig, SainfoConfig>? adjustSainfo = null)
    {
        var peer = left ? Right : Left;
        var remote = new RemoteConfig
        {
            Name = RemoteConfig.NameFor(peer, 500),
            Address = peer,
            ExchangeModes = [Mode],
            MyIdentifier = (left ? LeftId : RightId) ?? IdentifierConfig.OwnAddress,
            PeersIdentifiers = left ? LeftExpects : RightExpects,
            VerifyIdentifier = VerifyIdentifier,
            ProposalCheck = ProposalCheck,
            Lifetime = TimeSpan.FromHours(4),
            DpdDelay = DpdDelay,
            Proposals =
            [
                new Phase1Proposal { Encryption = Cipher, Hash = Hash, AuthenticationMethod = Auth, DhGroup = Group },
            ],
        };
        var mine = LeftTraffic(Tunnel);
        var theirs = RightTraffic(Tunnel);
        if (!left)
        {
            (mine, theirs) = (theirs, mine);
        }
        var sainfo = new SainfoConfig
        {
            LocalId = Tunnel ? SainfoId.ForSubnet(mine.Network.BaseAddress, mine.Network.PrefixLength) : SainfoId.ForAddress(mine.Network.BaseAddress),
            RemoteId = Tunnel ? SainfoId.ForSubnet(theirs.Network.BaseAddress, theirs.Network.PrefixLength) : SainfoId.ForAddress(theirs.Network.BaseAddress),
            PfsGroup = Pfs,
            Lifetime = Phase2Lifetime,
            EncryptionAlgorithms = [EspCipher],
            AuthenticationAlgorithms = [EspAuth],
            CompressionAlgorithms = [CompressionAlgorithm.Deflate],
        };
        return new RacoonConfig
        {
            Timers = Timers,
            Remotes = [adjust is null ? remote : adjust(remote)],
            Sainfos = [adjustSainfo is null ? sainfo : adjustSainfo(sainfo)],
        };
    }

    /// <summary>The outbound policy of one side: transport between the hosts, or tunnel between the subnets.</summary>
    public IpsecPolicy PolicyFor(bool left)
    {
        var self = left ? Left : Right;
        var peer = left ? Right : Left;
        var mine = left ? LeftTraffic(Tunnel) : RightTraffic(Tunnel);
        var theirs = left ? RightTraffic(Tunnel) : LeftTraffic(Tunnel);
        var mode = Tunnel ? IpsecSaMode.Tunnel : IpsecSaMode.Transport;
        var templates = Bundle.Select(p => new SaTemplate(p, mode, Tunnel ? self : null, Tunnel ? peer : null, 0)).ToList();
        return new IpsecPolicy(mine, theirs, templates, left ? 1u : 2u);
    }

    public AcquireRequest AcquireFor(bool left) =>
        new(1, left ? Left : Right, left ? Right : Left, PolicyFor(left));

    public static PreSharedKeyTable PskTable(string identity, string key) => PreSharedKeyTable.Parse($"{identity} {key}\n");

    public EnginePair CreatePair(string? leftKey = null, string? rightKey = null, KernelIpsec.Ike.Sa.ICertificateVerifier? leftCerts = null,
        KernelIpsec.Ike.Sa.ICertificateVerifier? rightCerts = null, Func<RemoteConfig, RemoteConfig>? adjustRight = null,
        Func<SainfoConfig, SainfoConfig>? adjustRightSainfo = null)
    {
        var leftPskId = Mode == ExchangeMode.Aggressive && RightId is { Value: { } rv } ? rv : Right.ToString();
        var rightPskId = Mode == ExchangeMode.Aggressive && LeftId is { Value: { } lv } ? lv : Left.ToString();
        var pair = new EnginePair(ConfigFor(true), ConfigFor(false, adjustRight, adjustRightSainfo),
            PskTable(leftPskId, leftKey ?? Psk), PskTable(rightPskId, rightKey ?? Psk), leftCerts, rightCerts, Left, Right);
        pair.Left.Policies.Policies.Add(PolicyFor(true));
        pair.Right.Policies.Policies.Add(PolicyFor(false));
        return pair;
    }
}
