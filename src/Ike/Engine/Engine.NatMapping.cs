using System.Net;
using KernelIpsec.Ike.Exchanges;
using KernelIpsec.Ike.Sa;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Ike.Engine;

// The NAT in front of a peer moved its mapping, or IKE floated to the NAT-T port: the ISAKMP SA and the peer's
// ESP-in-UDP SAs follow the peer to its new port.
public sealed partial class Engine
{
    /// <summary>
    /// The kernel saw an inbound ESP-in-UDP SA's packets arrive from a new source (XFRM_MSG_MAPPING). The ISAKMP SA
    /// that made the SA now talks to the new endpoint, and every SA pair with that peer at the old port is updated
    /// in place with the new port (<see cref="UpdateSaPair"/>): traffic flows again without a new phase 1. A move to
    /// another address is logged and not followed: the SAs are keyed by the peer's address in the kernel, and a
    /// new negotiation from the new address replaces them.
    /// </summary>
    public IReadOnlyList<EngineIntent> HandleNatMapping(NatMappingChange change, DateTimeOffset now)
    {
        Begin(now);
        var found = installed.FindBySpi(change.Protocol, change.Spi, change.Destination);
        if (found is null || found.Pair.Encapsulation is null)
        {
            Log.LogDebug("NAT mapping change for an SA we do not know: {Protocol} spi={Spi}", change.Protocol, change.Spi);
            return Finish();
        }
        if (!change.NewPeer.Address.Equals(change.OldPeer.Address))
        {
            Log.LogWarning("NAT-T: {Old} moved to another address {New}; its SAs stay until it negotiates again",
                RacoonText.Endpoint(change.OldPeer), RacoonText.Endpoint(change.NewPeer));
            return Finish();
        }
        if (change.OldPeer.Port == change.NewPeer.Port)
        {
            return Finish();
        }
        Log.LogInformation("NAT-T: peer mapping changed {Old} -> {New}", RacoonText.Endpoint(change.OldPeer), RacoonText.Endpoint(change.NewPeer));
        var endpoints = found.Phase1.Endpoints;
        if (endpoints.Peer.Equals(change.OldPeer))
        {
            endpoints.Peer = change.NewPeer;
        }
        MoveEncapsulatedSas(change.OldPeer, change.NewPeer.Port);
        return Finish();
    }

    /// <summary>
    /// A protected message of an established ISAKMP SA (its HASH checked) came from somewhere else on the NAT-T port:
    /// the NAT in front of the peer re-mapped it (RFC 3947 4: follow the port of authenticated messages). IKE and the
    /// SAs' encapsulation move to it.
    /// </summary>
    private void FollowPeer(IsakmpSaEntry entry, IPEndPoint local, IPEndPoint remote)
    {
        var sa = entry.Sa;
        if (!sa.NatT.InUse || local.Port != s.Config.NattPort || remote.Equals(sa.Peer) || !remote.Address.Equals(sa.Peer.Address))
        {
            return;
        }
        var old = sa.Peer;
        Log.LogInformation("NAT-T: peer mapping changed {Old} -> {New}", RacoonText.Endpoint(old), RacoonText.Endpoint(remote));
        sa.Endpoints.Peer = remote;
        MoveEncapsulatedSas(old, remote.Port);
    }

    /// <summary>Every ESP-in-UDP pair with the peer at <paramref name="old"/> gets <paramref name="newPort"/> in place.</summary>
    private void MoveEncapsulatedSas(IPEndPoint old, int newPort)
    {
        foreach (var entry in installed.WithPeer(old.Address).ToList())
        {
            if (entry.Pair.Encapsulation is { } encap && encap.RemotePort == old.Port)
            {
                var moved = entry.Pair with { Encapsulation = encap with { RemotePort = newPort } };
                installed.Remove(entry);
                installed.Add(entry with { Pair = moved });
                Emit(new UpdateSaPair(moved));
            }
        }
    }

    /// <summary>
    /// Responder: a phase 1 message of an SA doing NAT-T arrived on the NAT-T port (the initiator floated, RFC 3947
    /// 4): the SA answers there from now on. Returns the undo for a message that then proves bad.
    /// </summary>
    private Action? FloatWithPeer(IsakmpSa sa, IPEndPoint local, IPEndPoint remote)
    {
        if (sa.NatT.Version == Exchanges.NatTraversal.NatTVersion.None || local.Port != s.Config.NattPort
            || (local.Equals(sa.Local) && remote.Equals(sa.Peer)))
        {
            return null;
        }
        var (oldLocal, oldPeer, wasFloated) = (sa.Local, sa.Peer, sa.NatT.Floated);
        var (originalLocal, originalPeer) = (sa.NatT.OriginalLocal, sa.NatT.OriginalPeer);
        sa.NatT.OriginalLocal ??= sa.Local;
        sa.NatT.OriginalPeer ??= sa.Peer;
        sa.Endpoints.Local = local;
        sa.Endpoints.Peer = remote;
        sa.NatT.Floated = true;
        return () =>
        {
            sa.Endpoints.Local = oldLocal;
            sa.Endpoints.Peer = oldPeer;
            sa.NatT.Floated = wasFloated;
            sa.NatT.OriginalLocal = originalLocal;
            sa.NatT.OriginalPeer = originalPeer;
        };
    }
}
