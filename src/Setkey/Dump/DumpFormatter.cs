using System.Globalization;
using System.Net;
using System.Text;
using KernelIpsec.Netlink.Model;

namespace KernelIpsec.Setkey.Dump;

/// <summary>
/// <c>setkey -D</c> and <c>-DP</c> output (ipsec-tools <c>pfkey_sadump</c>/<c>pfkey_spdump</c>) rendered
/// from the kernel model, so XFRM state prints exactly as Linux's PF_KEY would have reported it:
/// dump records numbered 1, 2, … with the last one 0, keys as grouped hex, times as <c>ctime</c>
/// in the local time zone.
/// </summary>
public sealed class DumpFormatter
{
    private readonly DumpOptions options;

    public DumpFormatter(DumpOptions options) => this.options = options;

    public string FormatSas(IReadOnlyList<SecurityAssociation> sas)
    {
        if (sas.Count == 0)
            return "No SAD entries.\n";
        var now = options.Time.GetUtcNow();
        var sb = new StringBuilder();
        for (var i = 0; i < sas.Count; i++)
            AppendSa(sb, sas[i], i == sas.Count - 1 ? 0 : i + 1, options.ProcessId, now);
        return sb.ToString();
    }

    public string FormatPolicies(IReadOnlyList<SecurityPolicy> policies)
    {
        if (policies.Count == 0)
            return "No SPD entries.\n";
        var sb = new StringBuilder();
        for (var i = 0; i < policies.Count; i++)
            AppendPolicy(sb, policies[i], i == policies.Count - 1 ? 0 : i + 1, options.ProcessId);
        return sb.ToString();
    }

    /// <summary>One SA record of a saved PF_KEY message (<c>setkey FILE</c>), with that message's sequence number and pid.</summary>
    public string FormatSaRecord(SecurityAssociation sa, uint sequence, uint pid)
    {
        var sb = new StringBuilder();
        AppendSa(sb, sa, sequence, pid, options.Time.GetUtcNow());
        return sb.ToString();
    }

    /// <summary>One policy record of a saved PF_KEY message, with that message's sequence number and pid.</summary>
    public string FormatPolicyRecord(SecurityPolicy policy, uint sequence, uint pid)
    {
        var sb = new StringBuilder();
        AppendPolicy(sb, policy, sequence, pid);
        return sb.ToString();
    }

    private void AppendSa(StringBuilder sb, SecurityAssociation sa, long seq, long pid, DateTimeOffset now)
    {
        var natt = sa.NatTraversal;
        sb.Append(SaAddress(sa.Id.Source, natt?.SourcePort)).Append(' ')
          .Append(SaAddress(sa.Id.Destination, natt?.DestinationPort)).Append(" \n");
        sb.Append('\t').Append(SaType(sa)).Append(" mode=").Append(ModeName(sa.Mode))
          .Append(Inv($" spi={sa.Id.Spi}(0x{sa.Id.Spi:x8}) reqid={sa.ReqId}(0x{sa.ReqId:x8})\n"));
        if (natt?.OriginalAddress is { } oa)
            sb.Append("\tNAT OA=").Append(oa).Append('\n');
        if (sa.Id.Protocol == IpsecProtocol.IpComp && sa.Compression is { } comp)
        {
            // pfkey_sadump1 prints the compression line without a newline; the seq line follows on it.
            sb.Append("\tC: ").Append(comp.Algorithm.Name).Append(' ');
        }
        else
        {
            if ((sa.Encryption ?? sa.Aead) is { KeyBits: > 0 } enc)
                AppendKey(sb.Append("\tE: ").Append(enc.Algorithm.Name).Append(' '), enc.Key.Span);
            if (sa.Authentication is { KeyBits: > 0 } auth)
                AppendKey(sb.Append("\tA: ").Append(auth.Algorithm.Name).Append(' '), auth.Key.Span);
        }

        var state = sa.Encryption is null && sa.Authentication is null && sa.Aead is null && sa.Compression is null ? "larval" : "mature";
        sb.Append(Inv($"\tseq=0x{0:x8} replay={sa.ReplayWindow} flags=0x{PfKeyFlags(sa.Flags):x8} state={state} \n"));

        var current = sa.Current;
        var added = current?.Added;
        var hard = sa.Lifetime.Hard;
        var soft = sa.Lifetime.Soft;
        var diff = added is { } a ? Math.Max(0L, (long)(now - a).TotalSeconds) : 0L;
        sb.Append("\tcreated: ").Append(Time(added)).Append("\tcurrent: ").Append(Time(now)).Append('\n');
        sb.Append(Inv($"\tdiff: {diff}(s)\thard: {hard.AddSeconds}(s)\tsoft: {soft.AddSeconds}(s)\n"));
        sb.Append("\tlast: ").Append(Time(current?.LastUsed)).Append(Inv($"\thard: {hard.UseSeconds}(s)\tsoft: {soft.UseSeconds}(s)\n"));
        sb.Append(Inv($"\tcurrent: {current?.Bytes ?? 0}(bytes)\thard: {hard.Bytes}(bytes)\tsoft: {soft.Bytes}(bytes)\n"));
        sb.Append(Inv($"\tallocated: {current?.Packets ?? 0}\thard: {hard.Packets}\tsoft: {soft.Packets}\n"));
        AppendContext(sb, sa.SecurityContext);
        sb.Append(Inv($"\tsadb_seq={seq} pid={pid} refcnt=0\n"));
    }

    private void AppendPolicy(StringBuilder sb, SecurityPolicy policy, long seq, long pid)
    {
        var selector = policy.Selector;
        var upper = selector.UpperProtocol ?? 255;
        sb.Append(SelectorSide(selector.Source, selector.SourcePort, upper)).Append(' ')
          .Append(SelectorSide(selector.Destination, selector.DestinationPort, upper)).Append(' ')
          .Append(options.Protocols.Name(upper));
        if (upper is 1 or 58 or 135 && (selector.SourcePort != 0 || selector.DestinationPort != 0))
            sb.Append(Inv($" {selector.SourcePort},{selector.DestinationPort}"));
        else if (upper == 47 && (selector.SourcePort != 0 || selector.DestinationPort != 0))
            sb.Append(Inv($" {((uint)selector.SourcePort << 16) + selector.DestinationPort}"));
        sb.Append('\n');

        sb.Append('\t').Append(DirectionName(policy.Direction)).Append(PriorityText(policy.Priority)).Append(' ')
          .Append(policy.Action == PolicyAction.Block ? "discard" : policy.Requests.Count > 0 ? "ipsec" : "none").Append('\n');
        foreach (var request in policy.Requests)
            AppendRequest(sb, request);

        var current = policy.Current;
        sb.Append("\tcreated: ").Append(Time(current?.Added)).Append("  lastused: ").Append(Time(current?.LastUsed)).Append('\n');
        sb.Append(Inv($"\tlifetime: {policy.Lifetime.Hard.AddSeconds}(s) validtime: {policy.Lifetime.Hard.UseSeconds}(s)\n"));
        AppendContext(sb, policy.SecurityContext);
        sb.Append(Inv($"\tspid={policy.Index} seq={seq} pid={pid}\n"));
        sb.Append("\trefcnt=1\n");
    }

    private void AppendRequest(StringBuilder sb, IpsecRequest request)
    {
        sb.Append('\t').Append(ProtocolName(request.Protocol)).Append('/').Append(ModeName(request.Mode)).Append('/');
        if (request.Mode == IpsecMode.Tunnel && request.TunnelSource is { } tsrc && request.TunnelDestination is { } tdst)
        {
            var port = options.ShowPorts ? "[0]" : "";
            sb.Append(tsrc).Append(port).Append('-').Append(tdst).Append(port);
        }

        // Linux keeps only "optional" and the reqid, and reports the level back from them.
        var level = request.IsOptional ? "use" : request.ReqId != 0 ? "unique" : "require";
        sb.Append('/').Append(level);
        if (request.ReqId != 0)
            sb.Append(request.ReqId <= IpsecRequest.MaxManualReqId ? ':' : '#').Append(request.ReqId.ToString(CultureInfo.InvariantCulture));
        sb.Append('\n');
    }

    private string SaAddress(IPAddress address, ushort? nattPort)
    {
        var text = address.ToString();
        if (options.ShowPorts)
            text += "[0]";
        if (nattPort is { } port)
            text += Inv($"[{port}]");
        return text;
    }

    private static string SelectorSide(AddressPrefix prefix, ushort port, byte upper)
    {
        var text = prefix.Address.ToString();
        if (!prefix.IsHost)
            text += Inv($"/{prefix.PrefixLength}");
        if (upper is 1 or 58 or 135 or 47)
            return text;
        return text + (port == 0 ? "[any]" : Inv($"[{port}]"));
    }

    private static void AppendContext(StringBuilder sb, SecurityContext? context)
    {
        if (context is null)
            return;
        sb.Append(Inv($"\tsecurity context doi: {context.Doi}\n"));
        sb.Append(Inv($"\tsecurity context algorithm: {context.Algorithm}\n"));
        sb.Append(Inv($"\tsecurity context length: {Encoding.UTF8.GetByteCount(context.Context) + 1}\n"));
        sb.Append("\tsecurity context: ").Append(context.Context).Append('\n');
    }

    /// <summary>key_debug.c ipsec_hexdump, then a newline.</summary>
    private static void AppendKey(StringBuilder sb, ReadOnlySpan<byte> key)
    {
        Kdebug.KdebugFormatter.HexWords(sb, key);
        sb.Append('\n');
    }

    /// <summary>The PF_KEY <c>sadb_sa_flags</c> Linux reports for XFRM state flags.</summary>
    private static uint PfKeyFlags(SaFlags flags)
    {
        uint value = 0;
        if (flags.HasFlag(SaFlags.NoEcn))
            value |= 0x80000000;
        if (flags.HasFlag(SaFlags.DecapDscp))
            value |= 0x40000000;
        if (flags.HasFlag(SaFlags.NoPmtuDiscovery))
            value |= 0x20000000;
        return value;
    }

    private static string SaType(SecurityAssociation sa) => sa.Id.Protocol switch
    {
        IpsecProtocol.Esp => sa.NatTraversal is null ? "esp" : "esp-udp",
        IpsecProtocol.Ah => "ah",
        IpsecProtocol.IpComp => "ipcomp",
        _ => ((byte)sa.Id.Protocol).ToString(CultureInfo.InvariantCulture),
    };

    private static string ProtocolName(IpsecProtocol protocol) => protocol switch
    {
        IpsecProtocol.Esp => "esp",
        IpsecProtocol.Ah => "ah",
        IpsecProtocol.IpComp => "ipcomp",
        _ => ((byte)protocol).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>str_mode[]: any, transport, tunnel; other values print as the PF_KEY number.</summary>
    private static string ModeName(IpsecMode mode) => mode switch
    {
        IpsecMode.Any => "any",
        IpsecMode.Transport => "transport",
        IpsecMode.Tunnel => "tunnel",
        _ => ((byte)mode + 1).ToString(CultureInfo.InvariantCulture),
    };

    private static string DirectionName(PolicyDirection direction) => direction switch
    {
        PolicyDirection.In => "in",
        PolicyDirection.Out => "out",
        PolicyDirection.Fwd => "fwd",
        _ => "any",
    };

    /// <summary>
    /// ipsec_dump_policy: nothing for priority 0, else the nearest base (high below 0x60000000,
    /// def below 0xA0000000, low above) and the distance to it.
    /// </summary>
    public static string PriorityText(uint priority)
    {
        if (priority == 0)
            return "";
        var (name, @base) = priority < 0x60000000u ? ("high", 0x40000000L) : priority < 0xA0000000u ? ("def", 0x80000000L) : ("low", 0xC0000000L);
        var offset = @base - priority;
        return offset switch
        {
            > 0 => Inv($" prio {name} + {offset}"),
            < 0 => Inv($" prio {name} - {-offset}"),
            _ => $" prio {name}",
        };
    }

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>The 20 characters of ctime() after the weekday, local time; 20 blanks for "never".</summary>
    private string Time(DateTimeOffset? when)
    {
        if (when is not { } t)
            return new string(' ', 20);
        var local = TimeZoneInfo.ConvertTime(t, options.TimeZone);
        return Inv($"{Months[local.Month - 1]} {local.Day,2} {local.Hour:00}:{local.Minute:00}:{local.Second:00} {local.Year}");
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
