using KernelIpsec.Ike.Sa;

namespace KernelIpsec.Ike.Engine;

/// <summary>
/// The policies something is already being negotiated for (an initiator quick mode, or an ACQUIRE waiting for its
/// phase 1), counted, so that an ACQUIRE for one of them is ignored without looking at every SA (racoon: "ph2 found").
/// </summary>
internal sealed class PolicyUse
{
    private readonly Dictionary<PolicyKey, int> _count = [];

    public bool InUse(IpsecPolicy policy) => _count.ContainsKey(PolicyKey.Of(policy));

    public void Add(IpsecPolicy policy) => _count[PolicyKey.Of(policy)] = _count.GetValueOrDefault(PolicyKey.Of(policy)) + 1;

    public void Remove(IpsecPolicy policy)
    {
        var key = PolicyKey.Of(policy);
        if (_count.TryGetValue(key, out var n))
        {
            if (n <= 1)
            {
                _count.Remove(key);
            }
            else
            {
                _count[key] = n - 1;
            }
        }
    }
}
