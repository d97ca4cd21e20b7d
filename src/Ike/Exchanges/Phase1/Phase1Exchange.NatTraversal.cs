// racoon-style log lines mark rare protocol events; building their arguments costs nothing that matters.
#pragma warning disable CA1873

using System.Net;
using System.Security.Cryptography;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Crypto.Derivation;
using KernelIpsec.Ike.Crypto.Hashes;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Exchanges.NatTraversal;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Ike.Exchanges.Phase1;

// NAT traversal in phase 1 (RFC 3947 3-4, racoon nattraversal.c): vendor IDs choose the dialect, two or more NAT-D
// payloads (main mode messages 3/4, aggressive mode 2/3) show whether a NAT changed either side's address or port,
// and if so the initiator moves IKE to the NAT-T port before its next message.
internal abstract partial class Phase1Exchange
{
    private bool NatTEnabled => Sa.Remote.NatTraversal != Tristate.Off;

    /// <summary>Initiator: every dialect we know (racoon sends them all); responder: the one chosen from the peer's.</summary>
    private IEnumerable<Payload> NatTVendorIds()
    {
        if (!NatTEnabled)
        {
            return [];
        }
        if (Sa.IsInitiator)
        {
            return NatTVersions.Offered.Select(v => (Payload)new VendorIdPayload(v.VendorId()));
        }
        return Sa.NatT.Version == NatTVersion.None ? [] : [new VendorIdPayload(Sa.NatT.Version.VendorId())];
    }

    /// <summary>The best dialect among the peer's NAT-T vendor IDs (RFC 3947 over the drafts), when we do NAT-T.</summary>
    private void NoteNatTVendorIds(InboundMessage message)
    {
        var best = NatTVersion.None;
        foreach (var vid in message.ReadAll(PayloadType.VendorId, VendorIdPayload.Read))
        {
            var version = NatTVersions.FromVendorId(vid);
            if (version != NatTVersion.None)
            {
                S.Log.LogInformation("received Vendor ID: {Name}", version.RacoonName());
                best = version > best ? version : best;
            }
        }
        if (!NatTEnabled || best == NatTVersion.None || Sa.NatT.Version != NatTVersion.None)
        {
            return;
        }
        Sa.NatT.Version = best;
        S.Log.LogInformation("Selected NAT-T version: {Name}", best.RacoonName());
    }

    /// <summary>
    /// Our NAT-D payloads: first the hash of the peer's address and port as we send to it, then ours. With
    /// <c>nat_traversal force</c> ours is a hash of nothing we have, so the peer sees a NAT in front of us
    /// (what racoon's force and charon's encap=yes do).
    /// </summary>
    protected List<Payload> NatDiscoveryPayloads()
    {
        var version = Sa.NatT.Version;
        if (version == NatTVersion.None)
        {
            return [];
        }
        var hash = NatDiscoveryHashAlgorithm();
        var draft = version.UsesDraftPayloads();
        var (local, peer) = OriginalEndpoints();
        var peerHash = NatDiscoveryHash.Compute(hash, Sa.CookieI, Sa.CookieR, peer.Address, (ushort)peer.Port);
        var ownHash = Sa.Remote.NatTraversal == Tristate.Force
            ? NatDiscoveryHash.Compute(hash, Sa.CookieI, Sa.CookieR, local.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddress.IPv6None : IPAddress.Any, 0)
            : NatDiscoveryHash.Compute(hash, Sa.CookieI, Sa.CookieR, local.Address, (ushort)local.Port);
        return [new NatDiscoveryPayload(peerHash, draft), new NatDiscoveryPayload(ownHash, draft)];
    }

    /// <summary>
    /// Compares the peer's NAT-D payloads with the endpoints as we see them and records who is behind a NAT. A peer
    /// that announced NAT-T but sends no NAT-D payloads gets no NAT-T (RFC 3947 3.2); NAT-D data of the wrong length
    /// is refused.
    /// </summary>
    protected void CheckNatDiscovery(InboundMessage message)
    {
        var natt = Sa.NatT;
        if (natt.Version == NatTVersion.None || natt.Detected)
        {
            return;
        }
        var draft = natt.Version.UsesDraftPayloads();
        var payloads = message.ReadAll(natt.Version.NatDiscoveryType(), body => NatDiscoveryPayload.Read(body, draft)).ToList();
        if (payloads.Count == 0)
        {
            S.Log.LogWarning("NAT-T: {Peer} announced {Version} but sent no NAT-D payload; NAT-T is not used", RacoonText.Endpoint(Sa.Peer), natt.Version.RacoonName());
            natt.Version = NatTVersion.None;
            return;
        }
        var hash = NatDiscoveryHashAlgorithm();
        if (payloads.Count < 2 || payloads.Any(p => p.Data.Length != hash.HashLength))
        {
            throw ExchangeException.Abort(
                $"invalid NAT-D payloads from {RacoonText.Endpoint(Sa.Peer)}: {payloads.Count} payload(s) of {string.Join("/", payloads.Select(p => p.Data.Length))} bytes, expected at least 2 of {hash.HashLength} ({hash.Name})",
                NotifyType.PayloadMalformed);
        }
        var (local, peer) = OriginalEndpoints();
        // The first payload is us as the peer addressed us; a mismatch means a NAT rewrote our address or port.
        natt.WeBehindNat = !Matches(payloads[0].Data, hash, Candidates(local, Sa.Local));
        // The others are the peer as it sees itself; if none is what we see, a NAT rewrote it.
        var peerCandidates = Candidates(peer, Sa.Peer);
        natt.PeerBehindNat = !payloads.Skip(1).Any(p => Matches(p.Data, hash, peerCandidates));
        if (Sa.Remote.NatTraversal == Tristate.Force)
        {
            natt.WeBehindNat = true;
        }
        natt.Detected = true;
        if (natt.WeBehindNat || natt.PeerBehindNat)
        {
            S.Log.LogInformation("NAT detected:{Me}{Peer}", natt.WeBehindNat ? " ME" : "", natt.PeerBehindNat ? " PEER" : "");
        }
        else
        {
            S.Log.LogInformation("NAT not detected ");
        }
    }

    /// <summary>
    /// Initiator, NAT found: IKE moves to the NAT-T port on both sides (RFC 3947 4) before the next message, which
    /// then carries the non-ESP marker (the daemon's NAT-T socket adds it).
    /// </summary>
    protected void FloatIfNatDetected()
    {
        var natt = Sa.NatT;
        if (!natt.InUse || natt.Floated)
        {
            return;
        }
        natt.OriginalLocal ??= Sa.Local;
        natt.OriginalPeer ??= Sa.Peer;
        var port = S.Config.NattPort;
        Sa.Endpoints.Local = new IPEndPoint(Sa.Local.Address, port);
        Sa.Endpoints.Peer = new IPEndPoint(Sa.Peer.Address, port);
        natt.Floated = true;
        S.Log.LogInformation("NAT-T: ports changed to: {Peer}<->{Local}", RacoonText.Endpoint(Sa.Peer), RacoonText.Endpoint(Sa.Local));
    }

    /// <summary>The endpoints phase 1 started on: the NAT-D hashes of both sides are about them.</summary>
    private (IPEndPoint Local, IPEndPoint Peer) OriginalEndpoints() => (Sa.NatT.OriginalLocal ?? Sa.Local, Sa.NatT.OriginalPeer ?? Sa.Peer);

    private static IPEndPoint[] Candidates(IPEndPoint original, IPEndPoint current) =>
        original.Equals(current) ? [original] : [original, current];

    private bool Matches(byte[] data, IkeHashAlgorithm hash, IPEndPoint[] candidates) =>
        candidates.Any(c => CryptographicOperations.FixedTimeEquals(data, NatDiscoveryHash.Compute(hash, Sa.CookieI, Sa.CookieR, c.Address, (ushort)c.Port)));

    /// <summary>NAT-D uses the negotiated hash itself (not its HMAC).</summary>
    private IkeHashAlgorithm NatDiscoveryHashAlgorithm() =>
        IkeHashAlgorithm.Find(Chosen!.Hash) ?? throw ExchangeException.Abort($"hash {Chosen.Hash} is not supported", NotifyType.AttributesNotSupported);
}
