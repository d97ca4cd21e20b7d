using KernelIpsec.Setkey.Names;

namespace KernelIpsec.Setkey.Binding;

/// <summary>What binding a script depends on besides the script itself.</summary>
/// <param name="RfcMode">
/// setkey's default on Linux (<c>-r</c>): every policy command with direction <c>in</c> is also
/// issued for <c>fwd</c>, with a leading <c>unique</c> request turned into <c>require</c>. <c>-k</c> turns it off.
/// </param>
/// <param name="Protocols">Upper-layer protocol names.</param>
/// <param name="Services">Port names.</param>
/// <param name="Resolver">Host name lookup (not used for numeric addresses or with <c>-n</c> flags).</param>
public sealed record BindingOptions(bool RfcMode, ProtocolNames Protocols, ServiceNames Services, IHostResolver Resolver)
{
    public static BindingOptions Default { get; } = new(true, ProtocolNames.BuiltIn, ServiceNames.Empty, new DnsHostResolver());
}
