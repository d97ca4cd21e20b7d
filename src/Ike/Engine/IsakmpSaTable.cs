using System.Net;
using KernelIpsec.Ike.Exchanges;

namespace KernelIpsec.Ike.Engine;

/// <summary>
/// The ISAKMP SAs the engine holds, indexed by cookie pair (a datagram finds its SA in O(1)), by initiator cookie while
/// we initiated and wait for the responder's cookie, and by peer address (ACQUIRE, INITIAL-CONTACT, racoonctl).
/// Listing keeps creation order, as racoon's list does.
/// </summary>
internal sealed class IsakmpSaTable
{
    private readonly Dictionary<(ulong I, ulong R), IsakmpSaEntry> byCookies = [];
    private readonly Dictionary<ulong, IsakmpSaEntry> awaitingResponder = [];
    private readonly Dictionary<IPAddress, List<IsakmpSaEntry>> byPeer = [];
    private long nextSequence;

    public int Count => byCookies.Count;

    public long NextSequence() => ++nextSequence;

    public void Add(IsakmpSaEntry entry)
    {
        Index(entry);
        var address = entry.Sa.Peer.Address;
        if (!byPeer.TryGetValue(address, out var list))
        {
            byPeer[address] = list = [];
        }
        list.Add(entry);
    }

    public bool Contains(IsakmpSaEntry entry) =>
        byCookies.TryGetValue((entry.Sa.InitiatorCookie, entry.Sa.ResponderCookie), out var found) && ReferenceEquals(found, entry);

    public void Remove(IsakmpSaEntry entry)
    {
        if (!Contains(entry))
        {
            return;
        }
        Unindex(entry);
        var address = entry.Sa.Peer.Address;
        if (byPeer.TryGetValue(address, out var list))
        {
            list.Remove(entry);
            if (list.Count == 0)
            {
                byPeer.Remove(address);
            }
        }
    }

    /// <summary>The initiator learned (or forgot) the responder's cookie: the SA moves in the cookie index.</summary>
    public void SetResponderCookie(IsakmpSaEntry entry, ulong responderCookie)
    {
        var held = Contains(entry);
        if (held)
        {
            Unindex(entry);
        }
        entry.Sa.ResponderCookie = responderCookie;
        if (held)
        {
            Index(entry);
        }
    }

    /// <summary>The SA of a datagram: by both cookies, or our initiated SA the responder answers for the first time.</summary>
    public IsakmpSaEntry? Find(ulong initiatorCookie, ulong responderCookie, IPEndPoint remote)
    {
        if (byCookies.TryGetValue((initiatorCookie, responderCookie), out var entry))
        {
            return entry;
        }
        if (responderCookie != 0 && awaitingResponder.TryGetValue(initiatorCookie, out entry) && entry.Sa.Peer.Address.Equals(remote.Address))
        {
            return entry;
        }
        return null;
    }

    /// <summary>The SA with exactly these cookies.</summary>
    public IsakmpSaEntry? Find(ulong initiatorCookie, ulong responderCookie) =>
        byCookies.TryGetValue((initiatorCookie, responderCookie), out var entry) ? entry : null;

    /// <summary>The SAs with a peer, in creation order.</summary>
    public IReadOnlyList<IsakmpSaEntry> WithPeer(IPAddress peer) => byPeer.TryGetValue(peer, out var list) ? list : [];

    /// <summary>Every SA in creation order (racoonctl lists, shutdown); O(n log n), never on a per-packet path.</summary>
    public List<IsakmpSaEntry> All() => [.. byCookies.Values.OrderBy(e => e.Sequence)];

    private void Index(IsakmpSaEntry entry)
    {
        var sa = entry.Sa;
        byCookies[(sa.InitiatorCookie, sa.ResponderCookie)] = entry;
        if (sa.IsInitiator && sa.ResponderCookie == 0)
        {
            awaitingResponder[sa.InitiatorCookie] = entry;
        }
    }

    private void Unindex(IsakmpSaEntry entry)
    {
        var sa = entry.Sa;
        byCookies.Remove((sa.InitiatorCookie, sa.ResponderCookie));
        if (awaitingResponder.TryGetValue(sa.InitiatorCookie, out var waiting) && ReferenceEquals(waiting, entry))
        {
            awaitingResponder.Remove(sa.InitiatorCookie);
        }
    }
}
