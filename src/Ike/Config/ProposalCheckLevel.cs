namespace KernelIpsec.Ike.Config;

/// <summary>`proposal_check`: how a responder compares lifetimes, key lengths and PFS with the initiator's.</summary>
public enum ProposalCheckLevel
{
    /// <summary>Take the initiator's values.</summary>
    Obey,
    /// <summary>Accept a shorter-or-equal lifetime and a longer-or-equal key; PFS must match if we require it (racoon's default).</summary>
    Strict,
    /// <summary>Like strict, but use our shorter lifetime and send RESPONDER-LIFETIME.</summary>
    Claim,
    /// <summary>Everything must be equal.</summary>
    Exact,
}
