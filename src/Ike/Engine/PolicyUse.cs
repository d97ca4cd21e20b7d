using KernelIpsec.Ike.Sa;

namespace KernelIpsec.Ike.Engine;

/// <summary>
/// The policies something is already being negotiated for (an initiator quick mode, or an ACQUIRE waiting for its
/// phase 1), counted, so that an ACQUIRE for one of them is ignored without looking at every SA (racoon: "ph2 found").
/// </summary>
internal sealed class PolicyUse
{
    private readonly Dictionary<PolicyKey, int> count = [];

    public bool InUse(IpsecPolicy policy) => count.ContainsKey(PolicyKey.Of(policy));

    public void Add(IpsecPolicy policy) => count[PolicyKey.Of(policy)] = count.GetValueOrDefault(PolicyKey.Of(policy)) + 1;

    public void Remove(IpsecPolicy policy)
    {
        var key = PolicyKey.Of(policy);
        if (count.TryGetValue(key, out var n))
        {
            if (n <= 1)
            {
                count.Remove(key);
            }
            else
            {
                count[key] = n - 1;
            }
        }
    }
}
