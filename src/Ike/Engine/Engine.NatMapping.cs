using System.Net;
using KernelIpsec.Ike.Sa;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Ike.Engine;

// The NAT in front of a peer moved its mapping: the ISAKMP SA and the peer's ESP-in-UDP SAs follow the new port.
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
        var oldPort = change.OldPeer.Port;
        var newPort = change.NewPeer.Port;
        if (oldPort == newPort)
        {
            return Finish();
        }
        Log.LogInformation("NAT-T: peer mapping changed {Old} -> {New}", RacoonText.Endpoint(change.OldPeer), RacoonText.Endpoint(change.NewPeer));
        var endpoints = found.Phase1.Endpoints;
        if (endpoints.Peer.Address.Equals(change.OldPeer.Address) && endpoints.Peer.Port == oldPort)
        {
            endpoints.Peer = change.NewPeer;
        }
        foreach (var entry in installed.WithPeer(change.OldPeer.Address).ToList())
        {
            if (entry.Pair.Encapsulation is { } encap && encap.RemotePort == oldPort)
            {
                var moved = entry.Pair with { Encapsulation = encap with { RemotePort = newPort } };
                installed.Remove(entry);
                installed.Add(entry with { Pair = moved });
                Emit(new UpdateSaPair(moved));
            }
        }
        return Finish();
    }
}
