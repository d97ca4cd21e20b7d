using System.Net;

namespace KernelIpsec.Netlink.Model;

/// <summary>
/// One rule of an <c>ipsec</c> policy (setkey <c>esp/tunnel/A-B/unique:5</c>; XFRM <c>xfrm_user_tmpl</c>).
/// Several requests in a policy form a bundle, outermost first as written.
/// </summary>
public sealed record IpsecRequest
{
    /// <summary>Largest reqid a user may choose; larger or 0 with <see cref="IpsecLevel.Unique"/> asks the kernel (PF_KEY) to pick one.</summary>
    public const uint MaxManualReqId = 0x3fff;

    public IpsecRequest(IpsecProtocol protocol, IpsecMode mode, IpsecLevel level = IpsecLevel.Require, uint reqId = 0, IPAddress? tunnelSource = null, IPAddress? tunnelDestination = null)
    {
        if (!Enum.IsDefined(protocol))
            throw new ArgumentException($"request protocol {(byte)protocol} is not esp, ah or ipcomp", nameof(protocol));
        if (mode is not (IpsecMode.Transport or IpsecMode.Tunnel or IpsecMode.Beet))
            throw new ArgumentException($"request {Name(protocol)}: mode must be transport or tunnel, not {mode.ToString().ToLowerInvariant()}", nameof(mode));
        if (!Enum.IsDefined(level))
            throw new ArgumentException($"request {Name(protocol)}: level {(byte)level} is not default, use, require or unique", nameof(level));
        if ((tunnelSource is null) != (tunnelDestination is null))
            throw new ArgumentException($"request {Name(protocol)}/{mode.ToString().ToLowerInvariant()}: give both endpoints or none");
        if (mode == IpsecMode.Tunnel && tunnelSource is null)
            throw new ArgumentException($"request {Name(protocol)}/tunnel: tunnel mode needs both endpoints (A-B)");
        if (tunnelSource is not null && tunnelSource.AddressFamily != tunnelDestination!.AddressFamily)
            throw new ArgumentException($"request {Name(protocol)}: endpoints {tunnelSource} and {tunnelDestination} are of different address families");
        Protocol = protocol;
        Mode = mode;
        Level = level;
        ReqId = reqId;
        TunnelSource = tunnelSource;
        TunnelDestination = tunnelDestination;
    }

    public IpsecProtocol Protocol { get; }

    public IpsecMode Mode { get; }

    public IpsecLevel Level { get; }

    /// <summary>
    /// The SA reqid this request binds to. Linux keeps no level, only "optional" and the reqid, so it reports a
    /// template back as use (optional), else unique (reqid set), else require.
    /// </summary>
    public uint ReqId { get; }

    /// <summary>Tunnel endpoints (outer source), null in transport mode without endpoints.</summary>
    public IPAddress? TunnelSource { get; }

    public IPAddress? TunnelDestination { get; }

    /// <summary>True when the kernel may skip this template if no SA exists (level use).</summary>
    public bool IsOptional => Level == IpsecLevel.Use;

    public override string ToString()
    {
        var endpoints = TunnelSource is null ? "" : $"{TunnelSource}-{TunnelDestination}";
        var level = Level.ToString().ToLowerInvariant();
        if (ReqId != 0)
            level += (ReqId <= MaxManualReqId ? ":" : "#") + ReqId;
        return $"{Name(Protocol)}/{Mode.ToString().ToLowerInvariant()}/{endpoints}/{level}";
    }

    private static string Name(IpsecProtocol protocol) => protocol.ToString().ToLowerInvariant();
}
