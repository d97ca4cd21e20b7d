using KernelIpsec.Netlink.Model;

namespace KernelIpsec.Netlink;

/// <summary>
/// Linux PF_KEY's gen_reqid for <c>unique</c> requests without a number: the next reqid above
/// <see cref="IpsecRequest.MaxManualReqId"/> that no policy uses. The XFRM and in-memory kernels apply it too,
/// so every backend reads back <c>unique#16384</c>-style reqids for the same script.
/// </summary>
internal sealed class ReqIdGenerator
{
    private uint last = IpsecRequest.MaxManualReqId;

    public static bool Needed(SecurityPolicy policy) => policy.Requests.Any(NeedsOne);

    /// <summary>The policy with a fresh reqid in every unique request that has none.</summary>
    public SecurityPolicy Assign(SecurityPolicy policy, IEnumerable<SecurityPolicy> installed)
    {
        if (!Needed(policy))
            return policy;
        var inUse = installed.SelectMany(p => p.Requests).Select(r => r.ReqId).ToHashSet();
        var requests = policy.Requests.Select(r =>
        {
            if (!NeedsOne(r))
                return r;
            var reqId = Next(inUse);
            inUse.Add(reqId);
            return new IpsecRequest(r.Protocol, r.Mode, r.Level, reqId, r.TunnelSource, r.TunnelDestination);
        });
        return policy with { Requests = [.. requests] };
    }

    private static bool NeedsOne(IpsecRequest r) => r.Level == IpsecLevel.Unique && r.ReqId == 0;

    private uint Next(HashSet<uint> inUse)
    {
        for (var tries = 0; tries < 1_000_000; tries++)
        {
            last = last == uint.MaxValue ? IpsecRequest.MaxManualReqId + 1 : last + 1;
            if (!inUse.Contains(last))
                return last;
        }

        throw new KernelIpsecException("generate reqid for", "unique request", KernelErrno.ENOBUFS);
    }
}
