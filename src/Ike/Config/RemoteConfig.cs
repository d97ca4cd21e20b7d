using System.Net;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Config;

/// <summary>
/// A `remote` section: the phase 1 settings for one peer (or for any peer, when anonymous).
/// Defaults are racoon's (`remoteconf.c` <c>newrmconf</c>), not the man page's.
/// </summary>
public sealed record RemoteConfig
{
    /// <summary>racoon's default phase 1 lifetime, 8 hours.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(28800);

    /// <summary>The section's name: the quoted name, or the address as racoon prints it (`10.0.0.216[500]`, `anonymous`).</summary>
    public required string Name { get; init; }

    /// <summary>The peer's address; null for `remote anonymous` (matches any peer).</summary>
    public IPAddress? Address { get; init; }

    /// <summary>The peer's IKE port (500 unless `[port]` is written). racoon ignores it when selecting a remote.</summary>
    public int Port { get; init; } = 500;

    /// <summary>Name of the section this one was copied from (`inherit`).</summary>
    public string? Inherits { get; init; }

    public bool IsAnonymous => Address is null;

    /// <summary>Accepted exchange modes; the first is the one we initiate with. racoon requires at least one.</summary>
    public IReadOnlyList<ExchangeMode> ExchangeModes { get; init; } = [];

    /// <summary>`situation`: identity_only (1), secrecy (2), integrity (4).</summary>
    public int Situation { get; init; } = 1;

    public IdentifierConfig MyIdentifier { get; init; } = IdentifierConfig.OwnAddress;

    /// <summary>Acceptable peer identifiers (any of them); empty = anything.</summary>
    public IReadOnlyList<IdentifierConfig> PeersIdentifiers { get; init; } = [];

    public bool VerifyIdentifier { get; init; }
    public string? XauthLogin { get; init; }

    public CertificateTypeConfig? CertificateType { get; init; }
    public PeersCertFileConfig? PeersCertFile { get; init; }
    /// <summary>`ca_type x509 "cacert"`: the trust anchor(s) for the peer's certificate chain.</summary>
    public FileReference? CaCertificate { get; init; }
    public bool VerifyCertificate { get; init; } = true;
    public bool SendCertificate { get; init; } = true;
    public bool SendCertificateRequest { get; init; } = true;
    public bool MatchEmptyCertificateRequest { get; init; }

    public int NonceSize { get; init; } = 16;
    public bool Passive { get; init; }
    public Tristate IkeFragmentation { get; init; } = Tristate.Off;
    public int EspFragment { get; init; } = 65535;
    public IReadOnlyList<ScriptConfig> Scripts { get; init; } = [];
    /// <summary>`mode_cfg on`: request a Mode-Config address as a client.</summary>
    public bool ModeConfig { get; init; }
    public bool WeakPhase1Check { get; init; }
    public GeneratePolicyMode GeneratePolicy { get; init; } = GeneratePolicyMode.Off;
    public bool SupportProxy { get; init; }
    public bool InitialContact { get; init; } = true;
    public Tristate NatTraversal { get; init; } = Tristate.Off;
    /// <summary>`dpd on|off`: advertise the DPD vendor id.</summary>
    public bool Dpd { get; init; } = true;
    /// <summary>`dpd_delay`: probe interval; zero = no probing.</summary>
    public TimeSpan DpdDelay { get; init; } = TimeSpan.Zero;
    public TimeSpan DpdRetry { get; init; } = TimeSpan.FromSeconds(5);
    public int DpdMaxFail { get; init; } = 5;
    public Tristate Rekey { get; init; } = Tristate.On;
    /// <summary>`ph1id`: links to `sainfo ... remoteid N`.</summary>
    public uint Ph1Id { get; init; }
    public TimeSpan Lifetime { get; init; } = DefaultLifetime;
    public ProposalCheckLevel ProposalCheck { get; init; } = ProposalCheckLevel.Strict;

    /// <summary>Phase 1 transforms in the order written (the first is transform #1).</summary>
    public IReadOnlyList<Phase1Proposal> Proposals { get; init; } = [];

    public SourceLocation? Location { get; init; }

    /// <summary>The DH group racoon uses for aggressive mode (all proposals share it then): the first proposal's.</summary>
    public DhGroupId? DhGroup => Proposals.Count > 0 ? Proposals[0].DhGroup : null;

    /// <summary>The mode we start phase 1 with as initiator.</summary>
    public ExchangeMode InitiatorMode => ExchangeModes.Count > 0 ? ExchangeModes[0] : ExchangeMode.Main;

    public bool Accepts(ExchangeMode mode) => ExchangeModes.Contains(mode);

    /// <summary>The authentication methods offered by the proposals, distinct, in order.</summary>
    public IEnumerable<AuthenticationMethod> AuthenticationMethods => Proposals.Select(p => p.AuthenticationMethod).Distinct();

    /// <summary>The name racoon derives for a section written with an address or `anonymous` header.</summary>
    public static string NameFor(IPAddress? address, int port) =>
        address is null ? "anonymous" : $"{address}[{port}]";
}
