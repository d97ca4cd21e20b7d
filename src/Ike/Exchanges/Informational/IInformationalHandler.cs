using KernelIpsec.Ike.Sa;

namespace KernelIpsec.Ike.Exchanges.Informational;

/// <summary>What an authenticated informational message can ask of the engine, one payload at a time, in order.</summary>
internal interface IInformationalHandler
{
    /// <summary>R-U-THERE: the peer probes us (RFC 3706); the answer is an R-U-THERE-ACK with the same sequence.</summary>
    void AreYouThere(IsakmpSa sa, uint sequence);

    /// <summary>R-U-THERE-ACK: the peer answered one of our probes.</summary>
    void DpdAcknowledged(IsakmpSa sa, uint sequence);

    /// <summary>INITIAL-CONTACT: the peer rebooted; every older SA with it is stale.</summary>
    void InitialContact(IsakmpSa sa);

    /// <summary>DELETE of an ISAKMP SA (by its cookies) with the peer of <paramref name="sa"/>.</summary>
    void IsakmpSaDeleted(IsakmpSa sa, ulong initiatorCookie, ulong responderCookie);

    /// <summary>DELETE of one of the peer's inbound (our outbound) IPsec SAs.</summary>
    void IpsecSaDeleted(IsakmpSa sa, IpsecSaProtocol protocol, uint spi);
}
