using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.PfKey;

namespace KernelIpsec.Netlink;

/// <summary>
/// The kernel's IPsec databases (SAD and SPD) and its event channel. Implementations: XFRM netlink
/// (<c>Xfrm.XfrmKernel</c>) and an in-memory kernel with the same semantics (<c>InMemory.InMemoryKernel</c>).
/// Refusals surface as <see cref="KernelIpsecException"/> with the kernel's errno; invalid models as
/// <see cref="ArgumentException"/> before anything is sent.
/// </summary>
public interface IKernelIpsec : IKernelSockets, IAsyncDisposable
{
    /// <summary>What this interface can express; callers decide from it, never from the backend's type.</summary>
    KernelCapabilities Capabilities { get; }

    /// <summary>Installs a new SA; EEXIST if (destination, SPI, protocol) is taken.</summary>
    Task AddSaAsync(SecurityAssociation sa, CancellationToken cancellationToken = default);

    /// <summary>Replaces an SA, or completes a larval one from <see cref="AllocateSpiAsync"/>; ESRCH if there is none.</summary>
    Task UpdateSaAsync(SecurityAssociation sa, CancellationToken cancellationToken = default);

    /// <summary>The SA with its counters, or null if there is none.</summary>
    Task<SecurityAssociation?> GetSaAsync(SaId id, CancellationToken cancellationToken = default);

    /// <summary>Removes an SA; ESRCH/ENOENT if there is none.</summary>
    Task DeleteSaAsync(SaId id, CancellationToken cancellationToken = default);

    /// <summary>All SAs, larval ones included, newest first (the kernel's order).</summary>
    Task<IReadOnlyList<SecurityAssociation>> DumpSasAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes all SAs, or those of one protocol.</summary>
    Task FlushSasAsync(IpsecProtocol? protocol = null, CancellationToken cancellationToken = default);

    /// <summary>Reserves a free SPI in the range by creating a larval SA; returns the SPI.</summary>
    Task<uint> AllocateSpiAsync(SpiRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Installs a policy; EEXIST if one with the same selector, direction and context exists. A unique request
    /// without reqid gets a fresh one above 0x3fff, as Linux PF_KEY gives it.
    /// </summary>
    Task AddPolicyAsync(SecurityPolicy policy, CancellationToken cancellationToken = default);

    /// <summary>Installs or replaces the policy with the same selector, direction and context.</summary>
    Task UpdatePolicyAsync(SecurityPolicy policy, CancellationToken cancellationToken = default);

    /// <summary>The policy with its index and counters, or null if there is none.</summary>
    Task<SecurityPolicy?> GetPolicyAsync(PolicyId id, CancellationToken cancellationToken = default);

    /// <summary>Removes a policy; ENOENT if there is none.</summary>
    Task DeletePolicyAsync(PolicyId id, CancellationToken cancellationToken = default);

    /// <summary>All policies, newest first (the kernel's order).</summary>
    Task<IReadOnlyList<SecurityPolicy>> DumpPoliciesAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes all policies.</summary>
    Task FlushPoliciesAsync(CancellationToken cancellationToken = default);

    /// <summary>Starts listening for kernel events now; events before this call are not seen.</summary>
    IKernelEventSubscription SubscribeEvents();

    /// <summary>
    /// Every key-management message on the system, other processes' requests included (<c>setkey -x</c>); only where
    /// <see cref="KernelCapabilities.PromiscuousMonitor"/>, else <see cref="NotSupportedException"/>.
    /// </summary>
    IKernelEventSubscription SubscribePromiscuous();

    /// <summary>
    /// From now on shows <paramref name="observer"/> each PF_KEY message this interface sends and each answer it takes
    /// (<c>setkey -v</c>/<c>-H</c>); only where <see cref="KernelCapabilities.PfKeyTraffic"/>, else <see cref="NotSupportedException"/>.
    /// </summary>
    void ObservePfKeyTraffic(PfKeyTrafficObserver observer);
}
