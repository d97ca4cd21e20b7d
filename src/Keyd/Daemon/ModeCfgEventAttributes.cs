using System.Buffers.Binary;
using System.Text;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Keyd.Daemon;

/// <summary>
/// The Mode Config attributes racoon appends to EVT_PHASE1_MODE_CFG (the ATTR payload's body as received), rebuilt
/// from <see cref="ModeCfgAttributes"/>: long-form ISAKMP data attributes, network order. racoonctl reads the
/// address (INTERNAL_IP4_ADDRESS) and the banner (UNITY_BANNER) from them.
/// </summary>
internal static class ModeCfgEventAttributes
{
    public static byte[] Encode(ModeCfgAttributes? cfg)
    {
        if (cfg is null)
            return [];
        var output = new List<byte>();
        void Add(ModeCfgAttributeType type, ReadOnlySpan<byte> value)
        {
            Span<byte> header = stackalloc byte[4];
            BinaryPrimitives.WriteUInt16BigEndian(header, (ushort)type);
            BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)value.Length);
            output.AddRange(header);
            output.AddRange(value);
        }
        if (cfg.Address4 is { } address)
            Add(ModeCfgAttributeType.InternalIp4Address, address.GetAddressBytes());
        if (cfg.Netmask4 is { } mask)
            Add(ModeCfgAttributeType.InternalIp4Netmask, mask.GetAddressBytes());
        foreach (var dns in cfg.Dns4)
            Add(ModeCfgAttributeType.InternalIp4Dns, dns.GetAddressBytes());
        foreach (var wins in cfg.Wins4)
            Add(ModeCfgAttributeType.InternalIp4Nbns, wins.GetAddressBytes());
        if (cfg.DefaultDomain is { } domain)
            Add(ModeCfgAttributeType.UnityDefaultDomain, Encoding.UTF8.GetBytes(domain));
        if (cfg.Banner is { } banner)
            Add(ModeCfgAttributeType.UnityBanner, Encoding.UTF8.GetBytes(banner));
        return [.. output];
    }
}
