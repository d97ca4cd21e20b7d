using System.Net;
using System.Net.Sockets;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.PfKey;

namespace KernelIpsec.Netlink.InMemory;

/// <summary>
/// A kernel SAD/SPD in memory with Linux's semantics: EEXIST on duplicate add, ESRCH/ENOENT on missing
/// entries, UPDSA on a mature SA changing only lifetimes and encapsulation (as xfrm_state_update does),
/// policy indexes generated as (n &lt;&lt; 3 | direction), newest-first dumps, larval SAs from SPI
/// allocation, and the notifications XFRM multicasts. For <c>setkey -n</c> and for tests of setkey and
/// keyd; never a substitute for the Kernel and Vm test tiers.
/// </summary>
public sealed class InMemoryKernel : IKernelIpsec
{
    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private readonly Random random;
    private readonly LinkedList<SaEntry> sas = new();
    private readonly Dictionary<(IPAddress Destination, uint Spi, IpsecProtocol Protocol), LinkedListNode<SaEntry>> saIndex = [];
    private readonly LinkedList<SecurityPolicy> policies = new();
    private readonly Dictionary<PolicyId, LinkedListNode<SecurityPolicy>> policyIndex = [];
    private readonly HashSet<uint> usedPolicyIndexes = [];
    private readonly ReqIdGenerator reqIds = new();
    private readonly List<InMemoryEventSubscription> subscriptions = [];
    private readonly List<Socket> bypassedSockets = [];
    private readonly List<Socket> udpEncapsulatedSockets = [];
    private uint policyIndexGenerator;
    private uint acquireSequence;

    /// <param name="time">Clock for the "added"/"last used" times; the system clock if null.</param>
    /// <param name="random">Source for SPI allocation (the kernel picks randomly in the range); a fresh one if null.</param>
    /// <param name="capabilities">
    /// The backend this kernel stands in for (XFRM's if null), so callers deciding from capabilities can be tested
    /// for PF_KEY too. It exchanges no PF_KEY messages and has no promiscuous monitor, whichever it stands in for.
    /// </param>
    public InMemoryKernel(TimeProvider? time = null, Random? random = null, KernelCapabilities? capabilities = null)
    {
        this.time = time ?? TimeProvider.System;
        this.random = random ?? new Random();
        Capabilities = (capabilities ?? KernelCapabilities.Xfrm) with { PromiscuousMonitor = false, PfKeyTraffic = false };
    }

    public KernelCapabilities Capabilities { get; }

    /// <summary>The sockets <see cref="BypassSocket"/> was asked for, in order; nothing is set on them.</summary>
    public IReadOnlyList<Socket> BypassedSockets
    {
        get
        {
            lock (gate)
                return [.. bypassedSockets];
        }
    }

    /// <summary>The sockets <see cref="EnableUdpEncapsulation"/> was asked for, in order; nothing is set on them.</summary>
    public IReadOnlyList<Socket> UdpEncapsulatedSockets
    {
        get
        {
            lock (gate)
                return [.. udpEncapsulatedSockets];
        }
    }

    /// <summary>Records the request only: an in-memory SPD catches no real traffic.</summary>
    public void BypassSocket(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        lock (gate)
            bypassedSockets.Add(socket);
    }

    /// <summary>Records the request only: no ESP reaches an in-memory kernel.</summary>
    public void EnableUdpEncapsulation(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        lock (gate)
            udpEncapsulatedSockets.Add(socket);
    }

    public IKernelEventSubscription SubscribePromiscuous() => throw new NotSupportedException("the in-memory kernel has no promiscuous monitor");

    public void ObservePfKeyTraffic(PfKeyTrafficObserver observer) => throw new NotSupportedException("the in-memory kernel exchanges no PF_KEY messages");

    private sealed record SaEntry(SecurityAssociation Sa, bool Larval);

    public Task AddSaAsync(SecurityAssociation sa, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sa);
        sa.Validate();
        lock (gate)
        {
            var key = Key(sa.Id);
            if (saIndex.ContainsKey(key))
                throw new KernelIpsecException("add SA", sa.Id.ToString(), KernelErrno.EEXIST);
            var stored = Installed(sa);
            saIndex[key] = sas.AddFirst(new SaEntry(stored, Larval: false));
            Publish(new SaAddedEvent(stored));
        }

        return Task.CompletedTask;
    }

    public Task UpdateSaAsync(SecurityAssociation sa, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sa);
        sa.Validate();
        lock (gate)
        {
            var key = Key(sa.Id);
            if (!saIndex.TryGetValue(key, out var node))
                throw new KernelIpsecException("update SA", sa.Id.ToString(), KernelErrno.ESRCH);
            SecurityAssociation stored;
            if (node.Value.Larval)
            {
                // A larval SA is replaced by the complete one, which becomes the newest entry.
                sas.Remove(node);
                stored = Installed(sa);
                saIndex[key] = sas.AddFirst(new SaEntry(stored, Larval: false));
            }
            else
            {
                // xfrm_state_update keeps the installed SA and copies only these fields over.
                var old = node.Value.Sa;
                stored = old with
                {
                    Lifetime = sa.Lifetime,
                    NatTraversal = sa.NatTraversal ?? old.NatTraversal,
                    Selector = old.Selector ?? sa.Selector,
                };
                node.Value = new SaEntry(stored, Larval: false);
            }

            Publish(new SaUpdatedEvent(stored));
        }

        return Task.CompletedTask;
    }

    public Task<SecurityAssociation?> GetSaAsync(SaId id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (gate)
            return Task.FromResult(saIndex.TryGetValue(Key(id), out var node) ? node.Value.Sa : null);
    }

    public Task DeleteSaAsync(SaId id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (gate)
        {
            if (!saIndex.Remove(Key(id), out var node))
                throw new KernelIpsecException("delete SA", id.ToString(), KernelErrno.ESRCH);
            sas.Remove(node);
            Publish(new SaDeletedEvent(node.Value.Sa));
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SecurityAssociation>> DumpSasAsync(CancellationToken cancellationToken = default)
    {
        lock (gate)
            return Task.FromResult<IReadOnlyList<SecurityAssociation>>([.. sas.Select(e => e.Sa)]);
    }

    public Task FlushSasAsync(IpsecProtocol? protocol = null, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            var flushed = false;
            var node = sas.First;
            while (node is not null)
            {
                var next = node.Next;
                if (protocol is null || node.Value.Sa.Id.Protocol == protocol)
                {
                    saIndex.Remove(Key(node.Value.Sa.Id));
                    sas.Remove(node);
                    flushed = true;
                }

                node = next;
            }

            // Like xfrm_state_flush: flushing nothing succeeds silently, without a notification.
            if (flushed)
                Publish(new SasFlushedEvent(protocol));
        }

        return Task.CompletedTask;
    }

    public Task<uint> AllocateSpiAsync(SpiRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var range = request.EffectiveRange;
        lock (gate)
        {
            // Like xfrm_alloc_spi: random probes over the range, as many as it has values, then give up.
            var size = (ulong)range.Max - range.Min + 1;
            uint? found = null;
            for (ulong probe = 0; probe < Math.Min(size, 1_000_000UL) && found is null; probe++)
            {
                var spi = size == 1 ? range.Min : (uint)(range.Min + ((ulong)random.NextInt64() % size));
                if (!saIndex.ContainsKey((request.Destination, spi, request.Protocol)))
                    found = spi;
            }

            var entry = $"{request.Protocol.ToString().ToLowerInvariant()} {request.Source}->{request.Destination} range {range}";
            if (found is not { } newSpi)
                throw new KernelIpsecException("allocate SPI", entry, KernelErrno.ENOENT);
            var larval = new SecurityAssociation(request.Source, request.Destination, request.Protocol, newSpi)
            {
                Mode = request.Mode,
                ReqId = request.ReqId,
                Current = new LifetimeCurrent(0, 0, Now(), null),
            };
            saIndex[Key(larval.Id)] = sas.AddFirst(new SaEntry(larval, Larval: true));
            return Task.FromResult(newSpi);
        }
    }

    public Task AddPolicyAsync(SecurityPolicy policy, CancellationToken cancellationToken = default) => InsertPolicy(policy, exclusive: true);

    public Task UpdatePolicyAsync(SecurityPolicy policy, CancellationToken cancellationToken = default) => InsertPolicy(policy, exclusive: false);

    public Task<SecurityPolicy?> GetPolicyAsync(PolicyId id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (gate)
            return Task.FromResult(policyIndex.TryGetValue(id, out var node) ? node.Value : null);
    }

    public Task DeletePolicyAsync(PolicyId id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (gate)
        {
            if (!policyIndex.Remove(id, out var node))
                throw new KernelIpsecException("delete policy", id.ToString(), KernelErrno.ENOENT);
            policies.Remove(node);
            usedPolicyIndexes.Remove(node.Value.Index);
            Publish(new PolicyDeletedEvent(node.Value));
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SecurityPolicy>> DumpPoliciesAsync(CancellationToken cancellationToken = default)
    {
        lock (gate)
            return Task.FromResult<IReadOnlyList<SecurityPolicy>>([.. policies]);
    }

    public Task FlushPoliciesAsync(CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            var flushed = policies.Count > 0;
            policies.Clear();
            policyIndex.Clear();
            usedPolicyIndexes.Clear();
            if (flushed)
                Publish(new PoliciesFlushedEvent());
        }

        return Task.CompletedTask;
    }

    public IKernelEventSubscription SubscribeEvents()
    {
        lock (gate)
        {
            var subscription = new InMemoryEventSubscription(s =>
            {
                lock (gate)
                    subscriptions.Remove(s);
            });
            subscriptions.Add(subscription);
            return subscription;
        }
    }

    /// <summary>
    /// What the kernel does when an outbound packet of <paramref name="flow"/> is sent: finds the best
    /// matching out policy (lowest priority value) and, if one of its required templates has no SA, publishes
    /// an <see cref="AcquireEvent"/>. Returns the event, or null when the packet would pass without one.
    /// </summary>
    public AcquireEvent? SendPacket(Selector flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        lock (gate)
        {
            var policy = policies
                .Where(p => p.Direction == PolicyDirection.Out && SelectorMatch.Matches(p.Selector, flow))
                .OrderBy(p => p.Priority)
                .FirstOrDefault();
            if (policy is null || policy.Action != PolicyAction.Allow)
                return null;
            foreach (var request in policy.Requests)
            {
                var source = request.TunnelSource ?? flow.Source.Address;
                var destination = request.TunnelDestination ?? flow.Destination.Address;
                var covered = sas.Any(e => !e.Larval && e.Sa.Id.Protocol == request.Protocol
                    && e.Sa.Id.Destination.Equals(destination) && e.Sa.Id.Source.Equals(source)
                    && (request.ReqId == 0 || e.Sa.ReqId == request.ReqId));
                if (covered)
                    continue;
                if (request.IsOptional)
                    continue;
                var e = new AcquireEvent(source, destination, request.Protocol, flow, policy, ++acquireSequence);
                Publish(e);
                return e;
            }

            return null;
        }
    }

    /// <summary>
    /// What the kernel does when an SA reaches a lifetime limit: publishes the expire event; a hard expiry
    /// also removes the SA. Returns false if there is no such SA.
    /// </summary>
    public bool ExpireSa(SaId id, bool hard)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (gate)
        {
            if (!saIndex.TryGetValue(Key(id), out var node))
                return false;
            if (hard)
            {
                saIndex.Remove(Key(id));
                sas.Remove(node);
            }

            Publish(new SaExpiredEvent(node.Value.Sa, hard));
            return true;
        }
    }

    /// <summary>
    /// What the kernel does when ESP in UDP for the inbound SA <paramref name="id"/> arrives from
    /// <paramref name="newSource"/> while the SA says the peer is at its source address and encapsulation source port:
    /// publishes a <see cref="NatMappingEvent"/> (XFRM_MSG_MAPPING) and leaves the SA as it is. Returns false when there
    /// is no such SA, it is not UDP-encapsulated, or the packet comes from where the SA says.
    /// </summary>
    public bool ChangeNatMapping(SaId id, IPEndPoint newSource)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(newSource);
        lock (gate)
        {
            if (!saIndex.TryGetValue(Key(id), out var node) || node.Value.Larval || node.Value.Sa.NatTraversal is not { } nat)
                return false;
            var sa = node.Value.Sa;
            var old = new IPEndPoint(sa.Id.Source, nat.SourcePort);
            if (old.Equals(newSource))
                return false;
            Publish(new NatMappingEvent(sa.Id.Protocol, sa.Id.Spi, sa.Id.Destination, sa.ReqId, old, newSource));
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        InMemoryEventSubscription[] open;
        lock (gate)
            open = [.. subscriptions];
        foreach (var s in open)
            await s.DisposeAsync().ConfigureAwait(false);
    }

    private Task InsertPolicy(SecurityPolicy policy, bool exclusive)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        if (policy.Direction == PolicyDirection.Out && policy.Requests.Any(r => r.IsOptional && r.Mode != IpsecMode.Transport))
        {
            // validate_tmpl (Linux 5.16+): an optional tunnel template cannot protect outbound traffic.
            throw new KernelIpsecException(exclusive ? "add policy" : "update policy", policy.Id.ToString(), KernelErrno.EINVAL);
        }

        lock (gate)
        {
            var id = policy.Id;
            policyIndex.TryGetValue(id, out var existing);
            if (existing is not null && exclusive)
                throw new KernelIpsecException("add policy", id.ToString(), KernelErrno.EEXIST);
            uint index;
            if (existing is not null)
            {
                // xfrm_policy_insert: the replacement keeps the old index and becomes the newest entry.
                index = existing.Value.Index;
                policies.Remove(existing);
            }
            else
            {
                index = GenerateIndex(policy.Direction, policy.Index);
                usedPolicyIndexes.Add(index);
            }

            var assigned = reqIds.Assign(policy, policies);
            var stored = assigned with
            {
                Index = index,
                Current = new LifetimeCurrent(0, 0, Now(), null),
                Requests = [.. assigned.Requests.Select(AsKernelReports)],
            };
            policyIndex[id] = policies.AddFirst(stored);
            Publish(exclusive ? new PolicyAddedEvent(stored) : new PolicyUpdatedEvent(stored));
        }

        return Task.CompletedTask;
    }

    /// <summary>xfrm_gen_index: a caller's index is kept when it encodes the direction and is free.</summary>
    private uint GenerateIndex(PolicyDirection direction, uint wanted)
    {
        if (wanted != 0 && (wanted & 7) == (uint)direction && !usedPolicyIndexes.Contains(wanted))
            return wanted;
        while (true)
        {
            var index = policyIndexGenerator | (uint)direction;
            policyIndexGenerator += 8;
            if (index == 0)
                index = 8;
            if (!usedPolicyIndexes.Contains(index))
                return index;
        }
    }

    /// <summary>Linux stores only "optional" and the reqid of a template, so that is what reads back.</summary>
    private static IpsecRequest AsKernelReports(IpsecRequest r)
    {
        var level = r.IsOptional ? IpsecLevel.Use : r.ReqId != 0 ? IpsecLevel.Unique : IpsecLevel.Require;
        return level == r.Level ? r : new IpsecRequest(r.Protocol, r.Mode, level, r.ReqId, r.TunnelSource, r.TunnelDestination);
    }

    private SecurityAssociation Installed(SecurityAssociation sa) => sa with
    {
        Mode = sa.Mode == IpsecMode.Any ? IpsecMode.Transport : sa.Mode,
        Current = new LifetimeCurrent(0, 0, Now(), null),
    };

    private DateTimeOffset Now()
    {
        var now = time.GetUtcNow();
        return DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
    }

    private static (IPAddress, uint, IpsecProtocol) Key(SaId id) => (id.Destination, id.Spi, id.Protocol);

    private void Publish(KernelEvent e)
    {
        foreach (var s in subscriptions)
            s.Publish(e);
    }
}
