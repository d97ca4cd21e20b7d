using System.Net;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Netlink;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.Model.Algorithms;

namespace KernelIpsec.Keyd.Daemon;

/// <summary>
/// Between the engine's IKE terms and the kernel model: protocols, modes, selectors, ACQUIREs, EXPIREs, and
/// the SA pair a quick mode produced as the two kernel SAs racoon's pk_sendupdate/pk_sendadd would install.
/// </summary>
public static class KernelTranslation
{
    /// <summary>racoon's replay window for negotiated SAs (`pk_sendupdate`/`pk_sendadd`).</summary>
    public const uint ReplayWindow = 4;

    public static IpsecProtocol ToKernel(IpsecSaProtocol protocol) => protocol switch
    {
        IpsecSaProtocol.Esp => IpsecProtocol.Esp,
        IpsecSaProtocol.Ah => IpsecProtocol.Ah,
        IpsecSaProtocol.IpComp => IpsecProtocol.IpComp,
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "not an IPsec DOI protocol id"),
    };

    public static IpsecSaProtocol ToIke(IpsecProtocol protocol) => protocol switch
    {
        IpsecProtocol.Esp => IpsecSaProtocol.Esp,
        IpsecProtocol.Ah => IpsecSaProtocol.Ah,
        IpsecProtocol.IpComp => IpsecSaProtocol.IpComp,
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "not an IPsec protocol"),
    };

    public static IpsecMode ToKernel(IpsecSaMode mode) => mode == IpsecSaMode.Tunnel ? IpsecMode.Tunnel : IpsecMode.Transport;

    /// <summary>Kernel template modes as quick mode encapsulation modes (BEET has none: treated as transport).</summary>
    public static IpsecSaMode ToIke(IpsecMode mode) => mode == IpsecMode.Tunnel ? IpsecSaMode.Tunnel : IpsecSaMode.Transport;

    /// <summary>The local (source) and remote (destination) sides of an outbound policy selector.</summary>
    public static (TrafficSelector Local, TrafficSelector Remote) ToIke(Selector selector)
    {
        var protocol = selector.UpperProtocol ?? 0;
        return (new TrafficSelector(new IPNetwork(selector.Source.Address, selector.Source.PrefixLength), protocol, selector.SourcePort),
                new TrafficSelector(new IPNetwork(selector.Destination.Address, selector.Destination.PrefixLength), protocol, selector.DestinationPort));
    }

    /// <summary>An outbound kernel policy as the engine sees it (templates in the order written).</summary>
    public static IpsecPolicy ToIke(SecurityPolicy policy)
    {
        var (local, remote) = ToIke(policy.Selector);
        var templates = policy.Requests
            .Select(r => new SaTemplate(ToIke(r.Protocol), ToIke(r.Mode), r.TunnelSource, r.TunnelDestination, r.ReqId))
            .ToList();
        return new IpsecPolicy(local, remote, templates, policy.Index);
    }

    public static AcquireRequest ToIke(AcquireEvent acquire) =>
        new(acquire.Sequence, acquire.Source, acquire.Destination, ToIke(acquire.Policy));

    public static ExpireEvent ToIke(SaExpiredEvent expired) =>
        new(ToIke(expired.Sa.Id.Protocol), expired.Sa.Id.Spi, expired.Sa.Id.Destination, expired.Hard);

    /// <summary>A NAT mapping change of the inbound SA at <paramref name="destination"/> (the event's own, or found by the daemon where PF_KEY gives none).</summary>
    public static NatMappingChange ToIke(NatMappingEvent mapping, IPAddress destination) =>
        new(ToIke(mapping.Protocol), mapping.Spi, destination, mapping.OldSource, mapping.NewSource);

    /// <summary>The SPI request for an <see cref="AllocateSpi"/> intent (a larval SA from peer to us).</summary>
    public static SpiRequest ToKernel(AllocateSpi allocate) =>
        new(allocate.Source, allocate.Destination, ToKernel(allocate.Protocol), ReqId: allocate.Reqid);

    /// <summary>
    /// The inbound SA (peer → us, completing the larval SA of the allocated SPI) and the outbound SA
    /// (us → peer) of a pair, with racoon's replay window and soft lifetime. <paramref name="kernel"/> decides
    /// the ICV length (<see cref="KernelCapabilities.IcvBitsFor"/>: RFC 4868's 128 bits for HMAC-SHA-256 where the
    /// SA can say, Linux PF_KEY's 96 where it cannot) and whether a transport SA carries a selector.
    /// </summary>
    public static (SecurityAssociation Inbound, SecurityAssociation Outbound) ToKernel(IpsecSaPair pair, KernelCapabilities kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var protocol = ToKernel(pair.Protocol);
        var (inboundEncapsulation, outboundEncapsulation) = Encapsulation(pair, protocol, kernel);
        var mode = ToKernel(pair.Mode);
        var lifetime = LifetimeFor(pair.Lifetime);
        SecurityAssociation Build(IPAddress source, IPAddress destination, uint spi, SaKeys keys, TrafficSelector from, TrafficSelector to, NatTraversal? encapsulation)
        {
            var sa = new SecurityAssociation(source, destination, protocol, spi)
            {
                Mode = mode,
                ReqId = pair.Reqid,
                ReplayWindow = protocol == IpsecProtocol.IpComp ? 0 : ReplayWindow,
                Lifetime = lifetime,
                // strongSwan does the same: a transport SA is bound to its traffic; a tunnel SA carries any inner traffic.
                // PF_KEY has no SA selector at all (racoon never set one), so there none is given.
                Selector = mode == IpsecMode.Transport && kernel.SaSelectors ? ToKernelSelector(from, to) : null,
                NatTraversal = encapsulation,
            };
            return protocol switch
            {
                IpsecProtocol.Esp => sa with
                {
                    Encryption = EspCipher(pair, keys),
                    Authentication = pair.AuthenticationAlgorithm == 0 ? null : Integrity(AlgorithmRegistry.FromIkeId(AlgorithmKind.Authentication, pair.AuthenticationAlgorithm), pair.AuthenticationAlgorithm, keys, kernel),
                },
                IpsecProtocol.Ah => sa with
                {
                    Authentication = Integrity(AlgorithmRegistry.FromIkeAhTransformId(pair.TransformId), pair.TransformId, keys, kernel),
                },
                _ => sa with
                {
                    Compression = SaAlgorithm.WithoutKey(AlgorithmRegistry.FromIkeId(AlgorithmKind.Compression, pair.TransformId)
                        ?? throw new NotSupportedException($"IPCOMP transform id {pair.TransformId} has no kernel algorithm")),
                },
            };
        }

        var inbound = Build(pair.RemoteAddress, pair.LocalAddress, pair.InboundSpi, pair.InboundKeys, pair.RemoteSelector, pair.LocalSelector, inboundEncapsulation);
        var outbound = Build(pair.LocalAddress, pair.RemoteAddress, pair.OutboundSpi, pair.OutboundKeys, pair.LocalSelector, pair.RemoteSelector, outboundEncapsulation);
        return (inbound, outbound);
    }

    /// <summary>
    /// ESP in UDP (RFC 3948) for both SAs of a NAT-T pair, or none. Inbound (peer to us) runs from the peer's port to
    /// ours, outbound the reverse. The original address goes where racoon 0.8.2 put it (pfkey.c): the inbound SA
    /// (pk_sendupdate) gets <c>natoa_src</c>, "the peer's view of my address" (<see cref="UdpEncapsulation.LocalOriginalAddress"/>),
    /// the outbound SA (pk_sendadd) <c>natoa_dst</c>, "the peer's view of his address" (<see cref="UdpEncapsulation.RemoteOriginalAddress"/>):
    /// the address each SA's far end used before its NAT (RFC 3947 5.2), which is what a transport-mode checksum fix-up
    /// needs. Linux keeps it and does not use it (it skips the inner checksum check on NAT-T transport SAs instead).
    /// </summary>
    private static (NatTraversal? Inbound, NatTraversal? Outbound) Encapsulation(IpsecSaPair pair, IpsecProtocol protocol, KernelCapabilities kernel)
    {
        if (pair.Encapsulation is not { } encapsulation)
            return (null, null);
        if (protocol != IpsecProtocol.Esp)
            throw new ArgumentException($"UDP encapsulation (NAT-T) applies to ESP only, not {protocol.ToString().ToUpperInvariant()}");
        if (!kernel.NatTraversalEncapsulation)
            throw new NotSupportedException("this kernel interface cannot install UDP-encapsulated (NAT-T) SAs");
        var local = Port(encapsulation.LocalPort, "local");
        var remote = Port(encapsulation.RemotePort, "remote");
        return (new NatTraversal(EncapsulationType.EspInUdp, remote, local, encapsulation.LocalOriginalAddress),
                new NatTraversal(EncapsulationType.EspInUdp, local, remote, encapsulation.RemoteOriginalAddress));
    }

    private static ushort Port(int port, string which) =>
        port is > 0 and <= ushort.MaxValue ? (ushort)port : throw new ArgumentException($"NAT-T {which} port {port} is not a UDP port");

    /// <summary>Hard limits as negotiated, soft limits at 80 % of them (0 stays "no limit").</summary>
    public static Lifetime LifetimeFor(IpsecLifetime negotiated)
    {
        var hard = new LifetimeLimits(Bytes: negotiated.Bytes, AddSeconds: negotiated.Seconds);
        var soft = new LifetimeLimits(Bytes: State.SoftLifetime.Of(negotiated.Bytes), AddSeconds: State.SoftLifetime.Of(negotiated.Seconds));
        return new Lifetime(soft, hard);
    }

    public static Selector ToKernelSelector(TrafficSelector source, TrafficSelector destination)
    {
        byte? protocol = source.Protocol != 0 ? source.Protocol : destination.Protocol != 0 ? destination.Protocol : null;
        return new Selector(
            new AddressPrefix(source.Network.BaseAddress, source.Network.PrefixLength),
            new AddressPrefix(destination.Network.BaseAddress, destination.Network.PrefixLength),
            protocol, source.Port, destination.Port);
    }

    /// <summary>The integrity algorithm of <paramref name="pair"/> (AH's transform, ESP's authentication attribute), or null.</summary>
    public static IpsecAlgorithm? IntegrityOf(IpsecSaPair pair) =>
        pair.Protocol == IpsecSaProtocol.Ah ? AlgorithmRegistry.FromIkeAhTransformId(pair.TransformId)
            : pair.AuthenticationAlgorithm != 0 ? AlgorithmRegistry.FromIkeId(AlgorithmKind.Authentication, pair.AuthenticationAlgorithm) : null;

    private static SaAlgorithm EspCipher(IpsecSaPair pair, SaKeys keys)
    {
        var cipher = AlgorithmRegistry.FromIkeId(AlgorithmKind.Encryption, pair.TransformId)
            ?? throw new NotSupportedException($"ESP transform id {pair.TransformId} has no kernel algorithm");
        if (pair.KeyLengthBits != 0 && keys.Encryption.Length * 8 != pair.KeyLengthBits + cipher.SaltBits)
            throw new ArgumentException($"{cipher.Name}: {keys.Encryption.Length * 8}-bit key material for a {pair.KeyLengthBits}-bit key");
        if (cipher.Kind == AlgorithmKind.Aead)
            throw new NotSupportedException($"{cipher.Name}: AEAD transforms are not negotiated in IKEv1");
        return new SaAlgorithm(cipher, keys.Encryption);
    }

    private static SaAlgorithm Integrity(IpsecAlgorithm? algorithm, int id, SaKeys keys, KernelCapabilities kernel)
    {
        if (algorithm is null)
            throw new NotSupportedException($"authentication algorithm {id} has no kernel algorithm");
        return new SaAlgorithm(algorithm, keys.Authentication, kernel.IcvBitsFor(algorithm));
    }
}
