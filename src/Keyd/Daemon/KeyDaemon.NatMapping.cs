using System.Net;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.Model;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Keyd.Daemon;

// The kernel saw a NAT-T peer at a new endpoint: the engine decides, the executor updates the SAs in place.
public sealed partial class KeyDaemon
{
    // Without a rate limit on the SA (XFRMA_MTIMER_THRESH) the kernel reports every packet from the new endpoint until
    // the SA is updated: the reports queued behind the first say the same and are not the engine's business.
    private (IpsecProtocol Protocol, uint Spi, IPEndPoint NewSource)? lastMapping;

    private async Task NatMappingAsync(NatMappingEvent mapping, DateTimeOffset now)
    {
        if (lastMapping == (mapping.Protocol, mapping.Spi, mapping.NewSource))
            return;
        lastMapping = (mapping.Protocol, mapping.Spi, mapping.NewSource);
        // PF_KEY's SADB_X_NAT_T_NEW_MAPPING names the SPI and the peer, not the SA's destination: the SA is one of ours.
        var destination = mapping.Destination ?? Installed.DestinationOf(mapping.Protocol, mapping.Spi, mapping.OldSource.Address);
        if (destination is null)
        {
            LogMappingForUnknownSa(logger, mapping.Protocol, $"0x{mapping.Spi:x}", mapping.OldSource, mapping.NewSource);
            return;
        }
        LogMapping(logger, mapping.Protocol, $"0x{mapping.Spi:x}", mapping.OldSource, mapping.NewSource);
        await RunAsync(engine.OnNatMapping(KernelTranslation.ToIke(mapping, destination), now)).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "kernel: NAT mapping of {Protocol} SA {Spi} moved {Old} -> {New}")]
    private static partial void LogMapping(ILogger logger, IpsecProtocol protocol, string spi, IPEndPoint old, IPEndPoint @new);

    [LoggerMessage(Level = LogLevel.Debug, Message = "kernel: NAT mapping of {Protocol} SA {Spi} moved {Old} -> {New}, but the SA is not ours: ignored")]
    private static partial void LogMappingForUnknownSa(ILogger logger, IpsecProtocol protocol, string spi, IPEndPoint old, IPEndPoint @new);
}
