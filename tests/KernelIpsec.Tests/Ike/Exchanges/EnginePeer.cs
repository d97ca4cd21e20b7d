using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Crypto.DiffieHellman;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Tests.Ike.Engine;

namespace KernelIpsec.Tests.Ike.Exchanges;

/// <summary>One side of the back-to-back harness: an engine with its config, log and what it asked the "kernel" for.</summary>
internal sealed class EnginePeer : IDisposable
{
    private uint nextSpi;

    public EnginePeer(string name, IPAddress address, RacoonConfig config, IPreSharedKeyStore psk, ICertificateVerifier certificates,
        ListPolicyLookup policies, DhGroups groups, TimeProvider clock, uint spiBase, IXauthAuthenticator? xauth = null)
    {
        Name = name;
        Address = address;
        Endpoint = new IPEndPoint(address, 500);
        Policies = policies;
        nextSpi = spiBase;
        create = () => new ClockedEngine(new KernelIpsec.Ike.Engine.Engine(config, psk, certificates, policies, groups, new SystemIkeRandom(), Log, xauth), clock);
        Engine = create();
    }

    private readonly Func<ClockedEngine> create;

    /// <summary>racoon restarted: a fresh engine with the same configuration, knowing no SA and no peer.</summary>
    public void Restart()
    {
        Engine.Dispose();
        Engine = create();
        TimerDue = null;
    }

    public string Name { get; }
    public IPAddress Address { get; }
    public IPEndPoint Endpoint { get; }
    public ListPolicyLookup Policies { get; }
    public ListLogger Log { get; } = new();
    public ClockedEngine Engine { get; private set; }

    public List<IpsecSaPair> Installed { get; } = [];
    public List<NegotiationFailed> Failures { get; } = [];
    public List<DeleteIpsecSa> Deleted { get; } = [];
    public List<Phase1Up> Phase1Ups { get; } = [];
    public List<Phase1Down> Phase1Downs { get; } = [];
    /// <summary>generate_policy's InstallPolicy and DeletePolicy, in order.</summary>
    public List<EngineIntent> PolicyChanges { get; } = [];
    public DateTimeOffset? TimerDue { get; set; }
    public bool FailSpiAllocation { get; set; }

    /// <summary>The kernel's SPI allocator: sequential SPIs from a per-side base, so both sides' SPIs differ.</summary>
    public SpiAllocation Allocate(AllocateSpi request) =>
        FailSpiAllocation ? new SpiAllocation(request.RequestId, null, "No such process")
            : new SpiAllocation(request.RequestId, request.Protocol == IpsecSaProtocol.IpComp ? (nextSpi++ & 0xffff) | 0x100 : nextSpi++);

    public void Dispose() => Engine.Dispose();

    public override string ToString() => Name;
}
