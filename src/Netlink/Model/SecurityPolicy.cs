using System.Text;

namespace KernelIpsec.Netlink.Model;

/// <summary>
/// One security policy (SPD entry). setkey's <c>-P out ipsec esp/transport//require</c> is
/// <see cref="PolicyAction.Allow"/> with one <see cref="IpsecRequest"/>; <c>none</c> is Allow with no
/// requests; <c>discard</c> is <see cref="PolicyAction.Block"/>.
/// </summary>
public sealed record SecurityPolicy
{
    /// <summary>The priority setkey uses when none is given (<c>prio def</c>).</summary>
    public const uint DefaultPriority = 0x80000000;

    private readonly IReadOnlyList<IpsecRequest> requests = [];

    public SecurityPolicy(Selector selector, PolicyDirection direction, PolicyAction action = PolicyAction.Allow, IEnumerable<IpsecRequest>? requests = null)
    {
        ArgumentNullException.ThrowIfNull(selector);
        if (!Enum.IsDefined(direction))
            throw new ArgumentException($"policy direction {(byte)direction} is not in, out or fwd", nameof(direction));
        if (!Enum.IsDefined(action))
            throw new ArgumentException($"policy action {(byte)action} is not allow or block", nameof(action));
        Selector = selector;
        Direction = direction;
        Action = action;
        Requests = requests?.ToArray() ?? [];
    }

    public Selector Selector { get; init; }

    public PolicyDirection Direction { get; init; }

    public PolicyAction Action { get; init; }

    /// <summary>The bundle, outermost first. Only an <see cref="PolicyAction.Allow"/> policy may have requests.</summary>
    public IReadOnlyList<IpsecRequest> Requests
    {
        get => requests;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Any(r => r is null))
                throw new ArgumentException("policy requests contain null");
            requests = [.. value];
        }
    }

    /// <summary>Lower value wins; setkey's default is <see cref="DefaultPriority"/>.</summary>
    public uint Priority { get; init; } = DefaultPriority;

    /// <summary>Kernel policy index (setkey's spid); 0 when installing lets the kernel choose.</summary>
    public uint Index { get; init; }

    public PolicyFlags Flags { get; init; }

    public Lifetime Lifetime { get; init; } = Lifetime.Unlimited;

    public SecurityContext? SecurityContext { get; init; }

    /// <summary>Counters; filled in by the kernel on read-back, ignored when installing.</summary>
    public LifetimeCurrent? Current { get; init; }

    public PolicyId Id => new(Selector, Direction, SecurityContext);

    /// <summary>Checks the combination of fields; throws <see cref="ArgumentException"/> with the reason.</summary>
    public void Validate()
    {
        if (Action == PolicyAction.Block && Requests.Count > 0)
            throw new ArgumentException($"policy {Id}: a discard (block) policy cannot have IPsec requests");
        if (Requests.Count > XfrmMaxDepth)
            throw new ArgumentException($"policy {Id}: {Requests.Count} requests exceed the kernel's bundle depth of {XfrmMaxDepth}");
        foreach (var r in Requests)
        {
            if (r.Mode == IpsecMode.Transport && r.TunnelSource is not null && r.TunnelSource.AddressFamily != Selector.Family)
                throw new ArgumentException($"policy {Id}: transport request {r} has endpoints of another address family");
        }
    }

    /// <summary><c>XFRM_MAX_DEPTH</c>: the most templates one policy may carry.</summary>
    public const int XfrmMaxDepth = 6;

    public bool Equals(SecurityPolicy? other) =>
        other is not null && Selector.Equals(other.Selector) && Direction == other.Direction && Action == other.Action
        && Requests.SequenceEqual(other.Requests) && Priority == other.Priority && Index == other.Index && Flags == other.Flags
        && Lifetime.Equals(other.Lifetime) && Equals(SecurityContext, other.SecurityContext) && Equals(Current, other.Current);

    public override int GetHashCode() => HashCode.Combine(Selector, Direction, Action, Requests.Count, Priority, Index);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"{Selector} dir {Direction.ToString().ToLowerInvariant()} priority {Priority} index {Index} action {Action.ToString().ToLowerInvariant()}");
        foreach (var r in Requests)
            builder.Append(' ').Append(r);
        if (SecurityContext is not null)
            builder.Append($" ctx {SecurityContext}");
        return true;
    }
}
