using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using KernelIpsec.Ike.Config;

namespace KernelIpsec.Ike.Exchanges.Transaction;

/// <summary>
/// The Mode Config address pool of <c>mode_cfg { network4; pool_size; }</c> (racoon's port pool,
/// <c>isakmp_cfg_getport</c>): slot N is address network4 + N, the first free slot is taken. One lease per ISAKMP SA
/// as racoon, except that a user who already holds an address from the same peer address (a phase 1 rekey, a
/// reconnect racing the old SA's deletion) gets the same one, so a small pool is not drained by one client. A slot
/// is free again when the last ISAKMP SA holding it goes. The configuration is read at each lease, so a reload that
/// changes the pool keeps the leases already given.
/// </summary>
internal sealed class AddressPool
{
    private readonly Dictionary<int, Lease> bySlot = [];
    private readonly Dictionary<object, Lease> byOwner = new(ReferenceEqualityComparer.Instance);

    private sealed class Lease(int slot, string? user, IPAddress peer)
    {
        public int Slot { get; } = slot;
        public string? User { get; } = user;
        public IPAddress Peer { get; } = peer;
        public HashSet<object> Owners { get; } = new(ReferenceEqualityComparer.Instance);
    }

    /// <summary>How many slots are taken.</summary>
    public int InUse => bySlot.Count;

    /// <summary>The slot <paramref name="owner"/> holds, a shared one of the same user and peer, or the first free one; null when the pool is exhausted.</summary>
    public int? Acquire(ModeConfigServer config, object owner, string? user, IPAddress peer)
    {
        if (byOwner.TryGetValue(owner, out var held))
        {
            return held.Slot;
        }
        var lease = user is null ? null : bySlot.Values.FirstOrDefault(l => l.User == user && l.Peer.Equals(peer));
        if (lease is null)
        {
            var slot = Enumerable.Range(0, Math.Max(0, config.PoolSize)).Cast<int?>().FirstOrDefault(i => !bySlot.ContainsKey(i!.Value));
            if (slot is null)
            {
                return null;
            }
            lease = new Lease(slot.Value, user, peer);
            bySlot[slot.Value] = lease;
        }
        lease.Owners.Add(owner);
        byOwner[owner] = lease;
        return lease.Slot;
    }

    /// <summary>The slot <paramref name="owner"/> holds, or null.</summary>
    public int? SlotOf(object owner) => byOwner.TryGetValue(owner, out var lease) ? lease.Slot : null;

    /// <summary>Gives <paramref name="owner"/>'s lease back; returns the slot freed (null when none, or others still hold it).</summary>
    public int? Release(object owner)
    {
        if (!byOwner.Remove(owner, out var lease))
        {
            return null;
        }
        lease.Owners.Remove(owner);
        if (lease.Owners.Count > 0)
        {
            return null;
        }
        bySlot.Remove(lease.Slot);
        return lease.Slot;
    }

    /// <summary>network4 + slot, or null without an IPv4 network4 (racoon then hands out no address).</summary>
    public static IPAddress? AddressOf(ModeConfigServer config, int slot)
    {
        if (config.Network4 is not { AddressFamily: AddressFamily.InterNetwork } network)
        {
            return null;
        }
        Span<byte> b = stackalloc byte[4];
        network.TryWriteBytes(b, out _);
        BinaryPrimitives.WriteUInt32BigEndian(b, BinaryPrimitives.ReadUInt32BigEndian(b) + (uint)slot);
        return new IPAddress(b);
    }
}
