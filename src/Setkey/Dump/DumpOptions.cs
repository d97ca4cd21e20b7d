using KernelIpsec.Setkey.Names;

namespace KernelIpsec.Setkey.Dump;

/// <summary>How dumps are rendered.</summary>
/// <param name="ShowPorts">-p: SA addresses as <c>addr[port]</c> and tunnel endpoints with ports.</param>
/// <param name="Protocols">Names for upper-layer protocol numbers.</param>
/// <param name="Time">"current:" and "diff:" are relative to this clock.</param>
/// <param name="TimeZone">Times print in this zone (setkey uses ctime(), i.e. the local zone).</param>
/// <param name="ProcessId">The pid dump records carry (the requester's, i.e. ours).</param>
public sealed record DumpOptions(bool ShowPorts, ProtocolNames Protocols, TimeProvider Time, TimeZoneInfo TimeZone, int ProcessId);
