using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace KernelIpsec.Keyd.AdminProtocol;

/// <summary>
/// racoonctl's print_cfg: the Mode Config attributes after an EVT_PHASE1_MODE_CFG event (ISAKMP data attributes,
/// network order), of which it shows the address and the banner.
/// </summary>
internal static class ModeCfgEventReader
{
    private const ushort InternalIp4Address = 1;
    private const ushort UnityBanner = 28672;

    /// <summary>What racoonctl's print_cfg takes from them: the address (0.0.0.0 when none) and the banner.</summary>
    public static (IPAddress Address, string? Banner, string? Problem) Decode(ReadOnlySpan<byte> attributes)
    {
        var address = IPAddress.Any;
        string? banner = null;
        while (attributes.Length > 0)
        {
            if (attributes.Length < 4)
                return (address, banner, "short attribute too short");
            var type = BinaryPrimitives.ReadUInt16BigEndian(attributes);
            if ((type & 0x8000) != 0)
            {
                // Short (TV) attribute: nothing racoonctl shows.
                attributes = attributes[4..];
                continue;
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(attributes[2..]);
            if (attributes.Length < 4 + length)
                return (address, banner, "long attribute too long");
            var value = attributes.Slice(4, length);
            switch (type)
            {
                case InternalIp4Address when length < 4:
                    return (address, banner, "addr4 attribute too short");
                case InternalIp4Address:
                    address = new IPAddress(value[..4]);
                    break;
                case UnityBanner:
                    banner = Encoding.UTF8.GetString(value);
                    break;
            }
            attributes = attributes[(4 + length)..];
        }
        return (address, banner, null);
    }
}
