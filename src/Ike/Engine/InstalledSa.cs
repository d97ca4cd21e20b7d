using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Exchanges;
using KernelIpsec.Ike.Sa;

namespace KernelIpsec.Ike.Engine;

/// <summary>An SA pair the engine asked the daemon to install, remembered for DELETE, INITIAL-CONTACT and rekeying.</summary>
internal sealed record InstalledSa(IpsecSaPair Pair, IsakmpSa Phase1, bool WeInitiated, IpsecPolicy Policy, SainfoConfig Sainfo, AcquireRequest? Acquire)
{
    /// <summary>Installation order (the table lists in it).</summary>
    public long Sequence { get; init; }

    public bool Rekeying { get; set; }

    /// <summary>A rekey installed its successor: this pair only waits for its hard expire.</summary>
    public bool Replaced { get; set; }
}
