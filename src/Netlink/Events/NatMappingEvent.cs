using System.Net;
using KernelIpsec.Netlink.Model;

namespace KernelIpsec.Netlink.Events;

/// <summary>
/// ESP in UDP for an inbound SA arrived from another address or port than the SA's encapsulation says: the NAT in
/// front of the peer moved its mapping (XFRM_MSG_MAPPING, PF_KEY SADB_X_NAT_T_NEW_MAPPING). The SA is still the old
/// one; the key daemon decides whether to follow.
/// </summary>
/// <param name="Protocol">The SA's protocol (ESP: only ESP is encapsulated).</param>
/// <param name="Spi">The inbound SA's SPI.</param>
/// <param name="Destination">
/// The SA's destination (us); null from PF_KEY, whose message names only the SPI and the peer's old and new endpoints.
/// </param>
/// <param name="ReqId">The SA's reqid; 0 from PF_KEY, which does not send it.</param>
/// <param name="OldSource">The SA's source address and encapsulation source port: where the peer was.</param>
/// <param name="NewSource">Where its packets now come from.</param>
public sealed record NatMappingEvent(IpsecProtocol Protocol, uint Spi, IPAddress? Destination, uint ReqId, IPEndPoint OldSource, IPEndPoint NewSource) : KernelEvent;
