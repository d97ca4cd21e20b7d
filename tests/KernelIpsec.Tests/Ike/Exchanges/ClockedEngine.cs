using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Sa;

namespace KernelIpsec.Tests.Ike.Exchanges;

/// <summary>
/// The engine as the harness's "daemon" drives it: every call carries the time of the shared test clock, as the
/// daemon's loop passes its own time (the engine reads no clock).
/// </summary>
internal sealed class ClockedEngine : IDisposable
{
    private readonly TimeProvider clock;

    public ClockedEngine(KernelIpsec.Ike.Engine.Engine engine, TimeProvider clock)
    {
        Inner = engine;
        this.clock = clock;
    }

    public KernelIpsec.Ike.Engine.Engine Inner { get; }

    private DateTimeOffset Now => clock.GetUtcNow();

    public IReadOnlyList<Phase1Status> Phase1Sas => Inner.Phase1Sas;

    public IReadOnlyList<IpsecSaPair> IpsecSas => Inner.IpsecSas;

    public IReadOnlyList<EngineIntent> HandleDatagram(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> datagram) =>
        Inner.HandleDatagram(local, remote, datagram, Now);

    public IReadOnlyList<EngineIntent> HandleAcquire(AcquireRequest acquire, bool administrator = false) => Inner.HandleAcquire(acquire, Now, administrator);

    public IReadOnlyList<EngineIntent> HandleSpiAllocated(SpiAllocation allocation) => Inner.HandleSpiAllocated(allocation, Now);

    public IReadOnlyList<EngineIntent> HandleExpire(ExpireEvent expire) => Inner.HandleExpire(expire, Now);

    public IReadOnlyList<EngineIntent> HandleTimer(DateTimeOffset now) => Inner.HandleTimer(now);

    public IReadOnlyList<EngineIntent> InitiatePhase1(IPEndPoint local, IPEndPoint remote, string? remoteName = null, XauthCredentials? credentials = null) =>
        Inner.InitiatePhase1(local, remote, Now, remoteName, credentials);

    public IReadOnlyList<EngineIntent> LogoutUser(string user) => Inner.LogoutUser(user, Now);

    public IReadOnlyList<EngineIntent> DeletePhase1(IPAddress remote) => Inner.DeletePhase1(remote, Now);

    public IReadOnlyList<EngineIntent> FlushPhase1() => Inner.FlushPhase1(Now);

    public IReadOnlyList<EngineIntent> Reconfigure(RacoonConfig config) => Inner.Reconfigure(config, Now);

    public IReadOnlyList<EngineIntent> Shutdown() => Inner.Shutdown(Now);

    public void Dispose() => Inner.Dispose();
}
