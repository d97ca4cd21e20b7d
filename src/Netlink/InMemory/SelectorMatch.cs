using System.Net;
using KernelIpsec.Netlink.Model;

namespace KernelIpsec.Netlink.InMemory;

/// <summary>Whether a packet's flow falls under a selector, as the kernel's xfrm_selector_match decides.</summary>
internal static class SelectorMatch
{
    public static bool Matches(Selector selector, Selector flow) =>
        selector.Family == flow.Family
        && Contains(selector.Source, flow.Source.Address)
        && Contains(selector.Destination, flow.Destination.Address)
        && (selector.UpperProtocol is null || selector.UpperProtocol == flow.UpperProtocol)
        && (selector.SourcePort == 0 || selector.SourcePort == flow.SourcePort)
        && (selector.DestinationPort == 0 || selector.DestinationPort == flow.DestinationPort);

    public static bool Contains(AddressPrefix prefix, IPAddress address)
    {
        if (prefix.Family != address.AddressFamily)
            return false;
        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        prefix.Address.TryWriteBytes(a, out var length);
        address.TryWriteBytes(b, out _);
        var bits = prefix.PrefixLength;
        for (var i = 0; i < length && bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xff : (byte)(0xff << (8 - bits));
            if ((a[i] & mask) != (b[i] & mask))
                return false;
        }

        return true;
    }
}
