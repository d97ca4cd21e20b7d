using System.Net;

namespace KernelIpsec.Ike.Sa;

/// <summary>Something the engine wants the daemon to do, or to know. The daemon executes them in order.</summary>
public abstract record EngineIntent;

/// <summary>Send these bytes from <paramref name="Local"/> to <paramref name="Remote"/> over UDP.</summary>
public sealed record SendDatagram(IPEndPoint Local, IPEndPoint Remote, byte[] Datagram) : EngineIntent;

/// <summary>
/// Reserve an inbound SPI in the kernel for an SA from <paramref name="Source"/> (the peer) to
/// <paramref name="Destination"/> (us); answer with <c>Engine.HandleSpiAllocated</c> and the same id.
/// </summary>
public sealed record AllocateSpi(long RequestId, IpsecSaProtocol Protocol, IPAddress Source, IPAddress Destination, uint Reqid) : EngineIntent;

/// <summary>Install both SAs of one protocol (inbound: update the larval SA of the allocated SPI; outbound: add).</summary>
public sealed record InstallSaPair(IpsecSaPair Pair) : EngineIntent;

/// <summary>
/// Both SAs of <paramref name="Pair"/> exist; replace them in place with this description (XFRM_MSG_UPDSA). Sent
/// when the NAT in front of the peer moved its mapping: <see cref="IpsecSaPair.Encapsulation"/> has the new port.
/// </summary>
public sealed record UpdateSaPair(IpsecSaPair Pair) : EngineIntent;

/// <summary>
/// Send a NAT-T keepalive (RFC 3948 2.3: one 0xFF byte, no non-ESP marker) from <paramref name="Local"/> (our
/// NAT-T port) to <paramref name="Remote"/>, so the NAT in front of us keeps the mapping.
/// </summary>
public sealed record SendNatKeepalive(IPEndPoint Local, IPEndPoint Remote) : EngineIntent;

/// <summary>Delete one IPsec SA from the kernel (the peer deleted it, or INITIAL-CONTACT purged it).</summary>
public sealed record DeleteIpsecSa(IpsecSaProtocol Protocol, uint Spi, IPAddress Source, IPAddress Destination) : EngineIntent;

/// <summary>Call <c>Engine.HandleTimer</c> at <paramref name="Due"/> (replaces any earlier request).</summary>
public sealed record ArmTimer(DateTimeOffset Due) : EngineIntent;

/// <summary>An ISAKMP SA is up (racoon's <c>phase1_up</c> script hook, racoonctl event).</summary>
public sealed record Phase1Up(IPEndPoint Local, IPEndPoint Remote, ulong InitiatorCookie, ulong ResponderCookie, Phase1Details? Details = null) : EngineIntent;

/// <summary>An ISAKMP SA is gone (deleted, expired, or its peer dead).</summary>
public sealed record Phase1Down(IPEndPoint Local, IPEndPoint Remote, ulong InitiatorCookie, ulong ResponderCookie, string Reason, Phase1Details? Details = null) : EngineIntent;

/// <summary>
/// A negotiation failed. <paramref name="Acquire"/> is the kernel request it served, if any, so the daemon
/// can tell the kernel (racoon <c>pk_sendeacquire</c>).
/// </summary>
public sealed record NegotiationFailed(NegotiationPhase Phase, IPEndPoint Local, IPEndPoint Remote, string Reason, AcquireRequest? Acquire) : EngineIntent;

/// <summary>
/// generate_policy: the responder installs the policies the initiator's quick-mode IDs asked for. <paramref name="Policy"/>
/// is the outbound view (local → remote, tunnel templates from our address to the peer's); the daemon installs it
/// out, its mirror in, and for tunnel mode fwd too, at level require or (<paramref name="Unique"/>) unique with the
/// templates' reqids, expiring with the SAs after <paramref name="LifetimeSeconds"/> (0: never), as racoon's
/// pk_sendspdupdate2 does.
/// </summary>
public sealed record InstallPolicy(IpsecPolicy Policy, bool Unique, ulong LifetimeSeconds) : EngineIntent;

/// <summary>The SAs of a generated policy are gone: remove the policies <see cref="InstallPolicy"/> installed.</summary>
public sealed record DeletePolicy(IpsecPolicy Policy) : EngineIntent;
