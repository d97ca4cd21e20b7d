namespace KernelIpsec.Ike.Sa;

public enum NegotiationPhase
{
    Phase1,
    Phase2,
    Informational,
}
