namespace KernelIpsec.Netlink.Model;

/// <summary>
/// Level of one request in a policy (setkey <c>default|use|require|unique</c>; PF_KEY values 0..3).
/// Linux treats <see cref="Default"/> as require; <see cref="Use"/> makes the template optional;
/// <see cref="Unique"/> binds the template to one SA through its reqid.
/// </summary>
public enum IpsecLevel : byte
{
    Default = 0,
    Use = 1,
    Require = 2,
    Unique = 3,
}
