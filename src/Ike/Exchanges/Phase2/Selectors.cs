using System.Net;
using System.Net.Sockets;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Exchanges.Phase2;

/// <summary>Quick mode ID payloads (IDci/IDcr, RFC 2407 4.6.2) to and from traffic selectors and sainfo ids.</summary>
internal static class Selectors
{
    public static IdentificationPayload ToId(TrafficSelector ts) =>
        ts.IsHost
            ? IdentificationPayload.ForAddress(ts.Network.BaseAddress, ts.Protocol, ts.Port)
            : IdentificationPayload.ForSubnet(ts.Network, ts.Protocol, ts.Port);

    public static TrafficSelector FromId(IdentificationPayload id)
    {
        switch (id.IdType)
        {
            case IdType.Ipv4Address or IdType.Ipv6Address:
                return TrafficSelector.Host(id.Address!, id.Protocol, id.Port);
            case IdType.Ipv4Subnet or IdType.Ipv6Subnet:
                return new TrafficSelector(id.Subnet!.Value, id.Protocol, id.Port);
            default:
                throw ExchangeException.Abort($"quick mode ID type {id.IdType} is not supported (addresses and subnets are)", NotifyType.InvalidIdInformation);
        }
    }

    public static SainfoId ToSainfoId(TrafficSelector ts) =>
        ts.IsHost
            ? SainfoId.ForAddress(ts.Network.BaseAddress, ts.Protocol, ts.Port)
            : SainfoId.ForSubnet(ts.Network.BaseAddress, ts.Network.PrefixLength, ts.Protocol, ts.Port);

    public static int FullLength(IPAddress a) => a.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
}
