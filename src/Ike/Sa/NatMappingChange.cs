using System.Net;

namespace KernelIpsec.Ike.Sa;

/// <summary>
/// The kernel saw ESP-in-UDP for an inbound SA arrive from a new address or port (XFRM_MSG_MAPPING,
/// SADB_X_NAT_T_NEW_MAPPING): the NAT in front of the peer changed its mapping. The SA is the inbound one
/// (<paramref name="Spi"/> at <paramref name="Destination"/>, us); <paramref name="OldPeer"/> is where the SA
/// said the peer was, <paramref name="NewPeer"/> where its packets now come from.
/// </summary>
public sealed record NatMappingChange(IpsecSaProtocol Protocol, uint Spi, IPAddress Destination, IPEndPoint OldPeer, IPEndPoint NewPeer);
