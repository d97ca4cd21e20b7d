namespace KernelIpsec.Fuzz.Engines;

/// <summary>Two engines negotiate a phase 1 back to back, the left one initiating.</summary>
internal static class Phase1
{
    public static void Negotiate(EngineSide initiator, EngineSide responder)
    {
        var toResponder = new List<byte[]>();
        initiator.Apply(initiator.Engine.InitiatePhase1(initiator.Endpoint, initiator.PeerEndpoint, EngineSide.Now), toResponder);
        for (var round = 0; toResponder.Count > 0; round++)
        {
            if (round > 10)
            {
                throw new InvalidOperationException("phase 1 does not settle");
            }
            var toInitiator = toResponder.SelectMany(d => responder.Deliver(d)).ToList();
            toResponder = [.. toInitiator.SelectMany(d => initiator.Deliver(d))];
        }
        if (!responder.Engine.Phase1Sas.Any(p => p.Established))
        {
            throw new InvalidOperationException("the harness's phase 1 did not come up");
        }
    }
}
