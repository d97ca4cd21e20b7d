using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using KernelIpsec.Netlink.Interop;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.NetlinkProtocol;

namespace KernelIpsec.Netlink.Xfrm;

/// <summary>Model values to and from their XFRM struct fields (byte order, XFRM_INF, mode numbers).</summary>
internal static class XfrmEncoding
{
    public static ushort Family(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => XfrmConstants.AF_INET,
        AddressFamily.InterNetworkV6 => XfrmConstants.AF_INET6,
        _ => throw new ArgumentException($"address family {family} is not IPv4 or IPv6"),
    };

    public static XfrmAddress Address(IPAddress? address)
    {
        var result = default(XfrmAddress);
        address?.TryWriteBytes(MemoryMarshal.AsBytes((Span<uint>)result), out _);
        return result;
    }

    public static IPAddress Address(in XfrmAddress address, ushort family)
    {
        var bytes = MemoryMarshal.AsBytes<uint>(address);
        return family switch
        {
            XfrmConstants.AF_INET => new IPAddress(bytes[..4]),
            XfrmConstants.AF_INET6 => new IPAddress(bytes),
            _ => throw new NetlinkFormatException($"address family {family} is neither AF_INET nor AF_INET6"),
        };
    }

    public static bool IsZero(in XfrmAddress address)
    {
        foreach (var word in address)
        {
            if (word != 0)
                return false;
        }

        return true;
    }

    public static uint BigEndian(uint value) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value;

    public static ushort BigEndian(ushort value) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value;

    public static XfrmSelector Selector(Selector? selector)
    {
        if (selector is null)
            return default; // ip xfrm leaves it zero; the kernel fills in the SA's family
        return new XfrmSelector
        {
            Daddr = Address(selector.Destination.Address),
            Saddr = Address(selector.Source.Address),
            Dport = BigEndian(selector.DestinationPort),
            DportMask = selector.DestinationPort != 0 ? (ushort)0xffff : (ushort)0,
            Sport = BigEndian(selector.SourcePort),
            SportMask = selector.SourcePort != 0 ? (ushort)0xffff : (ushort)0,
            Family = Family(selector.Family),
            PrefixlenD = (byte)selector.Destination.PrefixLength,
            PrefixlenS = (byte)selector.Source.PrefixLength,
            Proto = selector.UpperProtocol ?? 0,
        };
    }

    // A prefix longer than its address (the kernel checks policies, not every selector) is a malformed message (found by fuzzing).
    private static AddressPrefix Prefix(IPAddress address, byte length, string field) =>
        length <= (address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32)
            ? new AddressPrefix(address, length)
            : throw new NetlinkFormatException($"xfrm_selector {field} {length} is longer than the {address} address");

    public static Selector Selector(in XfrmSelector s)
    {
        var family = s.Family;
        return new Selector(
            Prefix(Address(s.Saddr, family), s.PrefixlenS, "prefixlen_s"),
            Prefix(Address(s.Daddr, family), s.PrefixlenD, "prefixlen_d"),
            s.Proto == 0 ? null : s.Proto,
            BigEndian(s.Sport),
            BigEndian(s.Dport));
    }

    public static bool IsWildcard(in XfrmSelector s) =>
        s.PrefixlenD == 0 && s.PrefixlenS == 0 && s.Proto == 0 && s.Sport == 0 && s.Dport == 0 && IsZero(s.Daddr) && IsZero(s.Saddr);

    public static XfrmLifetimeCfg Lifetime(Lifetime lifetime) => new()
    {
        SoftByteLimit = Limit(lifetime.Soft.Bytes),
        HardByteLimit = Limit(lifetime.Hard.Bytes),
        SoftPacketLimit = Limit(lifetime.Soft.Packets),
        HardPacketLimit = Limit(lifetime.Hard.Packets),
        SoftAddExpiresSeconds = lifetime.Soft.AddSeconds,
        HardAddExpiresSeconds = lifetime.Hard.AddSeconds,
        SoftUseExpiresSeconds = lifetime.Soft.UseSeconds,
        HardUseExpiresSeconds = lifetime.Hard.UseSeconds,
    };

    public static Lifetime Lifetime(in XfrmLifetimeCfg l) => Model.Lifetime.FromKernel(
        new LifetimeLimits(Unlimit(l.SoftByteLimit), Unlimit(l.SoftPacketLimit), l.SoftAddExpiresSeconds, l.SoftUseExpiresSeconds),
        new LifetimeLimits(Unlimit(l.HardByteLimit), Unlimit(l.HardPacketLimit), l.HardAddExpiresSeconds, l.HardUseExpiresSeconds));

    public static LifetimeCurrent Current(in XfrmLifetimeCur c) => new(
        c.Bytes,
        c.Packets,
        LifetimeCurrent.FromKernelSeconds(c.AddTime),
        LifetimeCurrent.FromKernelSeconds(c.UseTime));

    public static byte Mode(IpsecMode mode) => mode switch
    {
        IpsecMode.Tunnel => XfrmConstants.XFRM_MODE_TUNNEL,
        IpsecMode.Beet => XfrmConstants.XFRM_MODE_BEET,
        _ => XfrmConstants.XFRM_MODE_TRANSPORT,
    };

    public static IpsecMode Mode(byte mode) => mode switch
    {
        XfrmConstants.XFRM_MODE_TRANSPORT => IpsecMode.Transport,
        XfrmConstants.XFRM_MODE_TUNNEL => IpsecMode.Tunnel,
        XfrmConstants.XFRM_MODE_BEET => IpsecMode.Beet,
        _ => throw new NetlinkFormatException($"XFRM mode {mode} is not transport, tunnel or beet"),
    };

    public static IpsecProtocol Protocol(byte proto) => proto switch
    {
        50 => IpsecProtocol.Esp,
        51 => IpsecProtocol.Ah,
        108 => IpsecProtocol.IpComp,
        _ => throw new NetlinkFormatException($"IPsec protocol {proto} is not esp (50), ah (51) or comp (108)"),
    };

    private static ulong Limit(ulong value) => value == 0 ? XfrmConstants.XFRM_INF : value;

    private static ulong Unlimit(ulong value) => value == XfrmConstants.XFRM_INF ? 0 : value;
}
