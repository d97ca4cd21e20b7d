using System.Globalization;
using System.Net;

namespace KernelIpsec.Ike.Sa;

/// <summary>
/// The way racoon prints addresses, SA indexes and SPIs in its log (<c>saddr2str</c>,
/// <c>isakmp_pindex</c>, <c>sadbsecas2str</c>), so the lines read as a racoon user expects.
/// </summary>
public static class RacoonText
{
    /// <summary><c>10.77.0.1[500]</c>.</summary>
    public static string Endpoint(IPEndPoint endpoint) => Endpoint(endpoint.Address, endpoint.Port);

    public static string Endpoint(IPAddress address, int port) =>
        string.Create(CultureInfo.InvariantCulture, $"{address}[{port}]");

    /// <summary><c>8d3b1a2f9d6c11e0:a1b2c3d4e5f60718</c>, with <c>:0000002a</c> appended for a message id.</summary>
    public static string Index(ulong initiatorCookie, ulong responderCookie, uint messageId = 0)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{initiatorCookie:x16}:{responderCookie:x16}");
        return messageId == 0 ? text : string.Create(CultureInfo.InvariantCulture, $"{text}:{messageId:x8}");
    }

    /// <summary><c>ESP/Transport 10.77.0.2[0]-&gt;10.77.0.1[0] spi=123456(0x1e240)</c>.</summary>
    public static string IpsecSa(IpsecSaProtocol protocol, IpsecSaMode mode, IPAddress source, IPAddress destination, uint spi) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{ProtocolName(protocol)}/{ModeName(mode)} {Endpoint(source, 0)}->{Endpoint(destination, 0)} spi={spi}(0x{spi:x})");

    public static string ProtocolName(IpsecSaProtocol protocol) => protocol switch
    {
        IpsecSaProtocol.Esp => "ESP",
        IpsecSaProtocol.Ah => "AH",
        IpsecSaProtocol.IpComp => "IPCOMP",
        _ => protocol.ToString(),
    };

    public static string ModeName(IpsecSaMode mode) => mode == IpsecSaMode.Tunnel ? "Tunnel" : "Transport";
}
