using KernelIpsec.Ike.Sa;

namespace KernelIpsec.Ike.Exchanges;

/// <summary>
/// The policies this responder generated (generate_policy) and still keeps SAs for, by their selectors, and the reqid
/// counter of `generate_policy unique` (racoon's g_nextreqid: from 1, back to 1 at 0x3fff, the largest manual reqid).
/// One per engine.
/// </summary>
internal sealed class GeneratedPolicies
{
    private const uint MaxManualReqid = 0x3fff;
    private readonly HashSet<(TrafficSelector Local, TrafficSelector Remote)> generated = [];
    private uint nextReqid = 1;

    public uint NextReqid()
    {
        var reqid = nextReqid++;
        if (nextReqid >= MaxManualReqid)
            nextReqid = 1;
        return reqid;
    }

    public bool Contains(IpsecPolicy policy) => generated.Contains((policy.Local, policy.Remote));

    public void Add(IpsecPolicy policy) => generated.Add((policy.Local, policy.Remote));

    public bool Remove(IpsecPolicy policy) => generated.Remove((policy.Local, policy.Remote));
}
