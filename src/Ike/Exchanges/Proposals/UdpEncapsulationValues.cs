namespace KernelIpsec.Ike.Exchanges.Proposals;

/// <summary>Which Encapsulation Mode values a quick mode sends for ESP in UDP: none, RFC 3947's (3/4) or the drafts' (61443/61444).</summary>
public enum UdpEncapsulationValues
{
    None,
    Rfc3947,
    Draft,
}
