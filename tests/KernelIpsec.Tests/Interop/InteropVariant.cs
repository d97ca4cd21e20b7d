using KernelIpsec.Tests.Infrastructure;

namespace KernelIpsec.Tests.Interop;

/// <summary>
/// One IKEv1 interop scenario: what the reference peers (strongSwan charon, libreswan pluto) propose
/// and what our racoon.conf must say for the same negotiation. Left is 10.77.0.1 (our side), right is
/// 10.77.0.2 (the reference peer); in the NAT variants one of them sits behind natbox
/// (<see cref="Nat"/>, <see cref="Addresses"/>). Mirrors the variants of the shared interop rig.
/// </summary>
public sealed record InteropVariant(
    string Name,
    string Exchange,            // main | aggressive
    string Auth,                // psk | rsa
    string IdType,              // address | fqdn | asn1dn
    string Mode,                // transport | tunnel
    string StrongSwanIke,
    string StrongSwanEsp,
    string RacoonEncryption,
    string RacoonHash,
    string RacoonDhGroup,
    string RacoonPhase2Encryption,
    string RacoonPhase2Auth,
    string? RacoonPfsGroup,
    NatSide Nat = NatSide.None)
{
    public const string PreSharedKey = "kernelipsec-interop-pre-shared-key-0123";
    public const string LeftFqdn = "left.kernelipsec.test";
    public const string RightFqdn = "right.kernelipsec.test";
    public const string LeftNet = "10.77.1.0/24";
    public const string RightNet = "10.77.2.0/24";

    public static readonly InteropVariant Psk3des = new("psk-3des", "main", "psk", "address", "transport",
        "3des-sha1-modp1024", "3des-sha1-modp1024", "3des", "sha1", "modp1024", "3des", "hmac_sha1", "modp1024");

    public static readonly InteropVariant Psk3desModp1536 = new("psk-3des-modp1536", "main", "psk", "address", "transport",
        "3des-sha1-modp1536", "3des-sha1-modp1536", "3des", "sha1", "modp1536", "3des", "hmac_sha1", "modp1536");

    public static readonly InteropVariant PskAes128 = new("psk-aes128", "main", "psk", "address", "transport",
        "aes128-sha1-modp2048", "aes128-sha1-modp2048", "aes 128", "sha1", "modp2048", "aes 128", "hmac_sha1", "modp2048");

    public static readonly InteropVariant PskAes256 = new("psk-aes256", "main", "psk", "address", "transport",
        "aes256-sha256-modp2048", "aes256-sha256-modp2048", "aes 256", "sha256", "modp2048", "aes 256", "hmac_sha256", "modp2048");

    public static readonly InteropVariant PskAes128NoPfs = new("psk-aes128-nopfs", "main", "psk", "address", "transport",
        "aes128-sha1-modp2048", "aes128-sha1", "aes 128", "sha1", "modp2048", "aes 128", "hmac_sha1", null);

    public static readonly InteropVariant AggressivePsk = new("aggr-psk", "aggressive", "psk", "fqdn", "transport",
        "aes128-sha1-modp2048", "aes128-sha1-modp2048", "aes 128", "sha1", "modp2048", "aes 128", "hmac_sha1", "modp2048");

    public static readonly InteropVariant Rsa = new("rsa", "main", "rsa", "asn1dn", "transport",
        "aes128-sha1-modp2048", "aes128-sha1-modp2048", "aes 128", "sha1", "modp2048", "aes 128", "hmac_sha1", "modp2048");

    public static readonly InteropVariant TunnelPsk = new("tunnel-psk", "main", "psk", "address", "tunnel",
        "aes128-sha1-modp2048", "aes128-sha1-modp2048", "aes 128", "sha1", "modp2048", "aes 128", "hmac_sha1", "modp2048");

    public static IReadOnlyList<InteropVariant> All { get; } =
        [Psk3des, Psk3desModp1536, PskAes128, PskAes256, PskAes128NoPfs, AggressivePsk, Rsa, TunnelPsk];

    // NAT traversal (RFC 3947): main mode PSK aes128-sha1-modp2048, nobody forces encapsulation, so
    // NAT-D must detect the NAT, IKE float to UDP 4500 and ESP travel in UDP 4500. Address IDs name
    // each side's own (private) address; transport mode through the NAT needs NAT-OA.

    /// <summary>Left behind natbox (seen as 10.77.0.3), transport; right can only respond.</summary>
    public static readonly InteropVariant NatPsk = PskAes128 with { Name = "nat-psk", Nat = NatSide.Left };

    /// <summary>Left behind natbox, tunnel 10.77.1.0/24 &lt;-&gt; 10.77.2.0/24.</summary>
    public static readonly InteropVariant NatPskTunnel = TunnelPsk with { Name = "nat-psk-tunnel", Nat = NatSide.Left };

    /// <summary>Right behind natbox with UDP 500/4500 forwarded to it (reached at 10.77.0.3), transport; both sides may initiate.</summary>
    public static readonly InteropVariant NatrPsk = PskAes128 with { Name = "natr-psk", Nat = NatSide.Right };

    /// <summary>Right behind natbox, tunnel.</summary>
    public static readonly InteropVariant NatrPskTunnel = TunnelPsk with { Name = "natr-psk-tunnel", Nat = NatSide.Right };

    public static IReadOnlyList<InteropVariant> NatVariants { get; } = [NatPsk, NatPskTunnel, NatrPsk, NatrPskTunnel];

    /// <summary>The addresses of the topology this variant runs in.</summary>
    public PairAddresses Addresses => PairAddresses.For(Nat);

    /// <summary>True when the side cannot be reached unasked: it is the peer behind a masquerade (left in `nat`).</summary>
    public bool IsRoadWarrior(bool left) => left && Nat == NatSide.Left;

    /// <summary>libreswan's `ike=` (its hash name for SHA-256 is sha2_256).</summary>
    public string LibreswanIke => StrongSwanIke.Replace("sha256", "sha2_256", StringComparison.Ordinal);

    /// <summary>libreswan's `esp=`; a DH group there is the PFS group.</summary>
    public string LibreswanEsp => StrongSwanEsp.Replace("sha256", "sha2_256", StringComparison.Ordinal);

    public override string ToString() => Name;

    /// <summary>The identity a side uses, in strongSwan's syntax.</summary>
    public string StrongSwanId(bool left, TestPki? pki) => IdType switch
    {
        "fqdn" => left ? LeftFqdn : RightFqdn,
        "asn1dn" => (left ? pki!.LeftSubject : pki!.RightSubject),
        _ => Addresses.Own(left),
    };
}
