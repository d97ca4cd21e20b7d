using KernelIpsec.Netlink.Model.Algorithms;

namespace KernelIpsec.Netlink;

/// <summary>
/// What a kernel interface can express, so callers ask it instead of testing which backend they hold (strongSwan's
/// <c>kernel_ipsec_t.get_features()</c> plays the same part). The two real backends are <see cref="Xfrm"/> and
/// <see cref="PfKey"/>; the in-memory kernel takes either.
/// </summary>
public sealed record KernelCapabilities
{
    /// <summary>AEAD ciphers (AES-GCM, ChaCha20-Poly1305) in an SA; af_key answers ENOSYS.</summary>
    public required bool Aead { get; init; }

    /// <summary>An SA can carry a selector binding it to its traffic; PF_KEY has no such extension.</summary>
    public required bool SaSelectors { get; init; }

    /// <summary>
    /// The SA states its ICV length (XFRMA_ALG_AUTH_TRUNC). Without it the kernel applies its own: Linux's af_key
    /// gives HMAC-SHA-256 96 bits, not RFC 4868's 128 (<see cref="IcvBitsFor"/>).
    /// </summary>
    public required bool ChoosesIcvLength { get; init; }

    /// <summary>ESP-in-UDP (RFC 3948) on an SA and on a socket (<see cref="IKernelSockets.EnableUdpEncapsulation"/>).</summary>
    public required bool NatTraversalEncapsulation { get; init; }

    /// <summary>A monitor of every key-management message on the system, other processes' requests included (<c>setkey -x</c> over SADB_X_PROMISC).</summary>
    public required bool PromiscuousMonitor { get; init; }

    /// <summary>The backend speaks PF_KEY itself, so <see cref="IKernelIpsec.ObservePfKeyTraffic"/> shows its real messages (<c>setkey -v</c>/<c>-H</c>).</summary>
    public required bool PfKeyTraffic { get; init; }

    /// <summary>NETLINK_XFRM: everything but a promiscuous monitor (its event groups already carry every change).</summary>
    public static KernelCapabilities Xfrm { get; } = new()
    {
        Aead = true,
        SaSelectors = true,
        ChoosesIcvLength = true,
        NatTraversalEncapsulation = true,
        PromiscuousMonitor = false,
        PfKeyTraffic = false,
    };

    /// <summary>Linux's af_key, as ipsec-tools drove it.</summary>
    public static KernelCapabilities PfKey { get; } = new()
    {
        Aead = false,
        SaSelectors = false,
        ChoosesIcvLength = false,
        NatTraversalEncapsulation = true,
        PromiscuousMonitor = true,
        PfKeyTraffic = true,
    };

    /// <summary>The ICV length an SA with <paramref name="integrity"/> gets from this kernel interface.</summary>
    public int IcvBitsFor(IpsecAlgorithm integrity)
    {
        ArgumentNullException.ThrowIfNull(integrity);
        return ChoosesIcvLength ? integrity.IcvBits : integrity.PfKeyIcvBits;
    }

    /// <summary>True when this interface installs <paramref name="integrity"/> with a shorter ICV than RFC 4868's.</summary>
    public bool ShortensIcv(IpsecAlgorithm integrity) => IcvBitsFor(integrity) < integrity.IcvBits;
}
