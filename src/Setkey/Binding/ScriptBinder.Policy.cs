using System.Net;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Setkey.Commands;
using KernelIpsec.Setkey.Parsing;
using KernelIpsec.Setkey.Parsing.Ast;

namespace KernelIpsec.Setkey.Binding;

public sealed partial class ScriptBinder
{
    private const uint PriorityHigh = 0x40000000;
    private const uint PriorityDefault = 0x80000000;
    private const uint PriorityLow = 0xC0000000;

    private IReadOnlyList<KernelCommand> BindPolicy(PolicyCommand c)
    {
        var selector = BindSelector(c);
        var context = c.Context is { } ctx ? Context(ctx.Option, ctx.Doi, ctx.Algorithm, ctx.Context) : null;
        var direction = c.Policy.Direction.Text switch
        {
            "in" => PolicyDirection.In,
            "out" => PolicyDirection.Out,
            _ => PolicyDirection.Fwd,
        };
        var mirrored = options.RfcMode && direction == PolicyDirection.In;

        if (c.Operation == PolicyOperation.Delete)
        {
            var id = new PolicyId(selector, direction, context);
            return mirrored
                ? [new DeletePolicyCommand(c.Position, id), new DeletePolicyCommand(c.Position, id with { Direction = PolicyDirection.Fwd })]
                : [new DeletePolicyCommand(c.Position, id)];
        }

        var policy = BuildPolicy(c, selector, direction, context);
        var update = c.Operation == PolicyOperation.Update;
        if (!mirrored)
            return [new AddPolicyCommand(c.Position, policy, update)];
        return [new AddPolicyCommand(c.Position, policy, update), new AddPolicyCommand(c.Position, ForwardCopy(policy), update)];
    }

    /// <summary>
    /// The fwd twin of an in policy (setkey RFC mode): a leading unique request becomes require
    /// without reqid, because forwarded traffic must not be bound to one SA.
    /// </summary>
    private static SecurityPolicy ForwardCopy(SecurityPolicy policy)
    {
        var requests = policy.Requests.ToList();
        if (requests.Count > 0 && requests[0].Level == IpsecLevel.Unique)
        {
            var first = requests[0];
            requests[0] = new IpsecRequest(first.Protocol, first.Mode, IpsecLevel.Require, 0, first.TunnelSource, first.TunnelDestination);
        }
        return policy with { Direction = PolicyDirection.Fwd, Requests = requests };
    }

    private Selector BindSelector(PolicyCommand c)
    {
        var src = SingleAddress(c.Source.Address, c.Options);
        var dst = SingleAddress(c.Destination.Address, c.Options);
        if (src.AddressFamily != dst.AddressFamily)
            throw SetkeyScriptException.At(c.Destination.Address, "Family mismatch", $"an address of the same family as {c.Source.Address.Text}");
        var upper = UpperProtocol(c.UpperProtocol);
        var sport = Port(c.Source.Port);
        var dport = Port(c.Destination.Port);
        if (c.UpperMisc is { } misc)
            (sport, dport) = UpperParameters(misc, upper);
        return new Selector(Prefix(src, c.Source.PrefixLength), Prefix(dst, c.Destination.PrefixLength), upper, sport, dport);
    }

    private static AddressPrefix Prefix(IPAddress address, Lexeme? length)
    {
        var max = (ulong)AddressPrefix.MaxPrefixLength(address.AddressFamily);
        return length is null ? AddressPrefix.Host(address) : new AddressPrefix(address, (int)Number(length, max, "prefix length"));
    }

    /// <summary>any (null: every protocol), a number, or a name from /etc/protocols.</summary>
    private byte? UpperProtocol(Lexeme word)
    {
        if (word.Text == "any")
            return null;
        byte number;
        if (SetkeyLexicon.IsDecimal(word.Text))
        {
            number = (byte)Number(word, 255, "upper-layer protocol");
        }
        else
        {
            number = options.Protocols.Number(word.Text) ?? throw SetkeyScriptException.At(word, "invalid upper layer protocol",
                "any, a protocol number, or a name from /etc/protocols");
        }

        return number == 255 ? null : number;
    }

    /// <summary>
    /// setkey's fix_portstr: <c>type,code</c> for icmp/ipv6-icmp/mh go into the port fields; a GRE key
    /// <c>a.b.c.d</c> is split 16/16 bits across them.
    /// </summary>
    private static (ushort Source, ushort Destination) UpperParameters(Lexeme misc, byte? upper)
    {
        switch (upper)
        {
            case 1 or 58 or 135:
                {
                    var parts = misc.Text.Split(',');
                    if (parts.Length > 2 || parts.Any(p => !SetkeyLexicon.IsDecimal(p)))
                        throw SetkeyScriptException.At(misc, "invalid ICMP type,code", "type,code as two numbers (e.g. 135,0)");
                    var type = (ushort)Number(misc with { Text = parts[0] }, 255, "ICMP type");
                    var code = parts.Length == 2 ? (ushort)Number(misc with { Text = parts[1] }, 255, "ICMP code") : (ushort)0;
                    return (type, code);
                }
            case 47:
                {
                    var parts = misc.Text.Split('.');
                    if (parts.Length != 4 || parts.Any(p => !SetkeyLexicon.IsDecimal(p)))
                        throw SetkeyScriptException.At(misc, "invalid GRE key", "a key written as a.b.c.d");
                    var b = parts.Select(p => (ushort)Number(misc with { Text = p }, 255, "GRE key byte")).ToArray();
                    return ((ushort)((b[0] << 8) | b[1]), (ushort)((b[2] << 8) | b[3]));
                }
            default:
                throw SetkeyScriptException.At(misc, "upper layer protocol mismatched", "`-P' (type,code only follow icmp, icmp6 and mh; a key only gre)");
        }
    }

    private static SecurityPolicy BuildPolicy(PolicyCommand c, Selector selector, PolicyDirection direction, SecurityContext? context)
    {
        var spec = c.Policy;
        var priority = spec.Priority is { } p ? Priority(p) : spec.Action is null ? 0u : PriorityDefault;
        var action = PolicyAction.Block;
        var requests = new List<IpsecRequest>();
        switch (spec.Action?.Text)
        {
            case null or "discard":
                break;
            case "none":
                action = PolicyAction.Allow;
                break;
            case "ipsec":
                action = PolicyAction.Allow;
                requests.AddRange(spec.Requests.Select(Request));
                break;
            default:
                throw SetkeyScriptException.At(spec.Action, "Invalid policy type", "discard, none or ipsec (entrust and bypass are per-socket policies)");
        }
        if (action != PolicyAction.Allow || spec.Action?.Text == "none")
        {
            if (spec.Requests.Count > 0)
                throw SetkeyScriptException.At(spec.Requests[0].Protocol, "Invalid policy type", "`;' (only an ipsec policy takes requests)");
        }

        try
        {
            var policy = new SecurityPolicy(selector, direction, action, requests) { Priority = priority, SecurityContext = context };
            policy.Validate();
            return policy;
        }
        catch (ArgumentException e)
        {
            throw SetkeyScriptException.At(spec.Direction, e.Message);
        }
    }

    private static IpsecRequest Request(PolicyRequestSpec r)
    {
        var protocol = r.Protocol.Text switch
        {
            "esp" => IpsecProtocol.Esp,
            "ah" => IpsecProtocol.Ah,
            _ => IpsecProtocol.IpComp,
        };
        var mode = r.Mode?.Text == "tunnel" ? IpsecMode.Tunnel : IpsecMode.Transport;
        var level = r.Level?.Text switch
        {
            "use" => IpsecLevel.Use,
            "require" => IpsecLevel.Require,
            "unique" => IpsecLevel.Unique,
            _ => IpsecLevel.Default,
        };
        var reqId = r.UniqueId is { } id ? (uint)Number(id, uint.MaxValue, "reqid") : 0u;
        IPAddress? tsrc = null, tdst = null;
        if (r.Endpoints is { } e)
        {
            tsrc = EndpointAddress(e.Source);
            tdst = EndpointAddress(e.Destination);
            if (tsrc.AddressFamily != tdst.AddressFamily)
                throw SetkeyScriptException.At(e.Destination, "Family mismatch", $"an address of the same family as {e.Source.Text}");
        }
        if (mode == IpsecMode.Tunnel && tsrc is null)
            throw SetkeyScriptException.At(r.Mode!, "Invalid address specification", "tunnel endpoints: proto/tunnel/A-B/level");
        try
        {
            return new IpsecRequest(protocol, mode, level, reqId, tsrc, tdst);
        }
        catch (ArgumentException ex)
        {
            throw SetkeyScriptException.At(r.Protocol, ex.Message);
        }
    }

    /// <summary>Tunnel endpoints are numeric (libipsec uses AI_NUMERICHOST); me/any are KAME per-socket forms.</summary>
    private static IPAddress EndpointAddress(Lexeme word)
    {
        if (word.Text.Contains('.', StringComparison.Ordinal) || word.Text.Contains(':', StringComparison.Ordinal))
        {
            if (IPAddress.TryParse(word.Text, out var address))
                return address;
        }
        throw SetkeyScriptException.At(word, "Invalid address specification", "a numeric tunnel endpoint address");
    }

    private static uint Priority(PrioritySpec p)
    {
        var offset = p.Offset is { } o ? Number(o, uint.MaxValue, "priority offset") : 0;
        var negative = p.Sign?.Text == "-";
        if (p.Base is null)
        {
            // prio N: N above the default wins (smaller value); prio -N: below it.
            if (negative ? offset > 0x7fffffff : offset > 0x80000000)
                throw SetkeyScriptException.At(p.Offset!, "Priority offset not in valid range [-2147483647, 2147483648]");
            return negative ? PriorityDefault + (uint)offset : (uint)(PriorityDefault - offset);
        }
        var @base = p.Base.Text switch
        {
            "high" => PriorityHigh,
            "low" => PriorityLow,
            _ => PriorityDefault,
        };
        if (p.Offset is null)
            return @base;
        if (negative ? offset > 0x3fffffff : offset > 0x40000000)
            throw SetkeyScriptException.At(p.Offset, "Priority offset from base not in valid range [0, 1073741823] for negative offsets and [0, 1073741824] for positive offsets");
        return negative ? @base + (uint)offset : @base - (uint)offset;
    }
}
