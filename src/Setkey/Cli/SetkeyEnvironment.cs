using KernelIpsec.Setkey.Binding;
using KernelIpsec.Setkey.Names;

namespace KernelIpsec.Setkey.Cli;

/// <summary>What the tool takes from the system, replaceable in tests.</summary>
/// <param name="Protocols">/etc/protocols.</param>
/// <param name="Services">/etc/services.</param>
/// <param name="Resolver">Host name lookup.</param>
/// <param name="Time">Clock for dumps and -x/-l timestamps.</param>
/// <param name="TimeZone">Zone dump times are printed in.</param>
/// <param name="ProcessId">Our pid as dump records show it.</param>
/// <param name="FileSystem">Reads script files.</param>
public sealed record SetkeyEnvironment(
    ProtocolNames Protocols,
    ServiceNames Services,
    IHostResolver Resolver,
    TimeProvider Time,
    TimeZoneInfo TimeZone,
    int ProcessId,
    Func<string, string> FileSystem)
{
    /// <summary>Reads the files of saved PF_KEY messages (<c>setkey FILE…</c>).</summary>
    public Func<string, byte[]> BinaryFiles { get; init; } = File.ReadAllBytes;

    public static SetkeyEnvironment System() => new(
        ProtocolNames.FromSystem(),
        ServiceNames.FromSystem(),
        new DnsHostResolver(),
        TimeProvider.System,
        TimeZoneInfo.Local,
        Environment.ProcessId,
        File.ReadAllText);
}
