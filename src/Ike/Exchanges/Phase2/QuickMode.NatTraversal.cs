// racoon-style log lines mark rare protocol events; building their arguments costs nothing that matters.
#pragma warning disable CA1873

using System.Net;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Exchanges.NatTraversal;
using KernelIpsec.Ike.Exchanges.Proposals;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Ike.Exchanges.Phase2;

// NAT traversal in quick mode (RFC 3947 5): with a NAT found in phase 1, ESP is offered as UDP-Encapsulated-Tunnel or
// -Transport, transport mode carries the original addresses in NAT-OA payloads, and the SAs are installed as ESP in
// UDP between the phase 1 endpoints' ports.
internal sealed partial class QuickMode
{
    /// <summary>The peer's own address as its NAT-OA said (transport mode), for the kernel's checksum fix-ups.</summary>
    private IPAddress? peerOriginalAddress;

    private bool UdpEncapsulated => ph1.NatT.InUse;

    private UdpEncapsulationValues UdpValues => !UdpEncapsulated ? UdpEncapsulationValues.None
        : ph1.NatT.Version.UsesDraftPayloads() ? UdpEncapsulationValues.Draft : UdpEncapsulationValues.Rfc3947;

    /// <summary>
    /// Our NAT-OA payloads for a transport-mode ESP SA: RFC 3947 sends NAT-OAi (the initiator's address) and NAT-OAr
    /// (the responder's), each as the sender knows it; the drafts one NAT-OA with the sender's own address.
    /// </summary>
    private List<Payload> NatOaPayloads(bool transport)
    {
        if (!UdpEncapsulated || !transport)
        {
            return [];
        }
        var version = ph1.NatT.Version;
        if (version.UsesDraftPayloads())
        {
            return [new NatOriginalAddressPayload(ph1.Local.Address, Draft: true)];
        }
        var (initiator, responder) = IsInitiator ? (ph1.Local.Address, ph1.Peer.Address) : (ph1.Peer.Address, ph1.Local.Address);
        return [new NatOriginalAddressPayload(initiator), new NatOriginalAddressPayload(responder)];
    }

    /// <summary>
    /// The peer's NAT-OA payloads: the address it has for itself (RFC: NAT-OAi from an initiator, NAT-OAr from a
    /// responder; drafts: the only one). One of another family than phase 1's is refused; without NAT-T in use
    /// they are ignored, as racoon does.
    /// </summary>
    internal static IPAddress? ReadPeerOriginalAddress(IsakmpSa ph1, InboundMessage message, bool peerIsInitiator, ILogger log)
    {
        var version = ph1.NatT.Version;
        if (version == NatTVersion.None)
        {
            return null;
        }
        var draft = version.UsesDraftPayloads();
        var all = message.ReadAll(version.NatOriginalAddressType(), body => NatOriginalAddressPayload.Read(body, draft)).ToList();
        if (all.Count == 0)
        {
            return null;
        }
        if (!ph1.NatT.InUse)
        {
            log.LogInformation("received {Count} NAT-OA payload(s); ignored because no NAT was detected", all.Count);
            return null;
        }
        var family = ph1.Peer.Address.AddressFamily;
        if (all.FirstOrDefault(p => p.Address.AddressFamily != family) is { } wrong)
        {
            throw ExchangeException.Abort($"NAT-OA payload with address {wrong.Address} of another family than the phase 1 peer {ph1.Peer.Address}", NotifyType.InvalidIdInformation);
        }
        if (all.Count > 2)
        {
            throw ExchangeException.Abort($"{all.Count} NAT-OA payloads (at most 2 expected)", NotifyType.PayloadMalformed);
        }
        var own = draft || peerIsInitiator ? all[0] : all[^1];
        log.LogDebug("NAT-OA: {Address}", own.Address);
        return own.Address;
    }

    /// <summary>
    /// Responder, transport mode through a NAT: the initiator's quick-mode IDs name its private address, which no
    /// policy of ours names; like charon (and OpenBSD's isakmpd) the phase 1 endpoints' addresses stand in for a host
    /// ID that is not one of them. racoon 0.8.2 needs a policy for the private address instead: that is tried first.
    /// </summary>
    private static (TrafficSelector Local, TrafficSelector Remote) NatTransportSelectors(IsakmpSa ph1, TrafficSelector local, TrafficSelector remote)
    {
        var l = local.IsHost && !local.Network.BaseAddress.Equals(ph1.Local.Address) ? local with { Network = TrafficSelector.Host(ph1.Local.Address).Network } : local;
        var r = remote.IsHost && !remote.Network.BaseAddress.Equals(ph1.Peer.Address) ? remote with { Network = TrafficSelector.Host(ph1.Peer.Address).Network } : remote;
        return (l, r);
    }

    /// <summary>
    /// Initiator, transport mode through a NAT: charon answers with the IDs narrowed to the addresses it sees (ours
    /// the NAT's), so a host ID that differs from ours only in its address is the same traffic, as racoon 0.8.2
    /// accepts it. Protocol and port must still be ours, and the answer must name hosts.
    /// </summary>
    private bool NattedIdsMatch(TrafficSelector local, TrafficSelector remote)
    {
        static bool SameButAddress(TrafficSelector a, TrafficSelector b) =>
            a.IsHost && b.IsHost && a.Protocol == b.Protocol && a.Port == b.Port && a.Network.BaseAddress.AddressFamily == b.Network.BaseAddress.AddressFamily;
        var matches = UdpEncapsulated && Policy.Templates.All(t => t.Mode == IpsecSaMode.Transport)
            && SameButAddress(local, Policy.Local) && SameButAddress(remote, Policy.Remote);
        if (matches)
        {
            s.Log.LogInformation("NAT-T: the responder's IDs {Local} <=> {Remote} name the NAT's addresses; taken for ours {OurLocal} <=> {OurRemote}",
                local, remote, Policy.Local, Policy.Remote);
        }
        return matches;
    }

    /// <summary>ESP of a pair made under NAT-T goes in UDP between the phase 1 ports, with the NAT-OA addresses.</summary>
    private UdpEncapsulation? EncapsulationFor(IpsecSaProtocol protocol, IpsecSaMode mode) =>
        UdpEncapsulated && protocol == IpsecSaProtocol.Esp
            ? new UdpEncapsulation(ph1.Local.Port, ph1.Peer.Port,
                mode == IpsecSaMode.Transport ? ph1.NatT.OriginalLocal?.Address ?? ph1.Local.Address : null,
                mode == IpsecSaMode.Transport ? peerOriginalAddress : null)
            : null;

    /// <summary>
    /// Transport mode under NAT-T: the kernel checks decrypted packets against the SA's selector, and they carry the
    /// addresses the phase 1 endpoints have (the NAT's on the far side), not the IDs' private ones.
    /// </summary>
    private (TrafficSelector Local, TrafficSelector Remote) SaSelectors(IpsecSaProtocol protocol, IpsecSaMode mode, IPAddress local, IPAddress remote) =>
        UdpEncapsulated && mode == IpsecSaMode.Transport
            ? (Policy.Local with { Network = TrafficSelector.Host(local).Network }, Policy.Remote with { Network = TrafficSelector.Host(remote).Network })
            : (Policy.Local, Policy.Remote);
}
