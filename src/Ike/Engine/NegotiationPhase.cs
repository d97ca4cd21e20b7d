namespace KernelIpsec.Ike.Engine;

public enum NegotiationPhase
{
    Phase1,
    Phase2,
    Informational,
}
