using System.Globalization;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Netlink;
using KernelIpsec.Netlink.Model;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Keyd.Daemon;

/// <summary>
/// Carries out the engine's intents, in order: datagrams and NAT-T keepalives to the transport, SPI allocations and SA
/// installs/updates/deletes to the kernel, timer requests to the loop's timer, phase 1 state to the admin view.
/// Kernel answers that the engine must hear about (allocated SPIs) come back as <see cref="SpiAllocation"/>s.
/// One failed intent is logged and does not stop the others (racoon logs and goes on, too).
/// </summary>
public sealed partial class IntentExecutor
{
    private readonly IKernelIpsec kernel;
    private readonly IDatagramSender sender;
    private readonly Action<DateTimeOffset> armTimer;
    private readonly InstalledSas installed;
    private readonly Phase1Table phase1s;
    private readonly ILogger logger;

    /// <param name="kernel">Where SAs go; its <see cref="IKernelIpsec.Capabilities"/> decide ICV lengths and SA selectors.</param>
    public IntentExecutor(IKernelIpsec kernel, IDatagramSender sender, Action<DateTimeOffset> armTimer, InstalledSas installed, Phase1Table phase1s, ILogger logger)
    {
        this.kernel = kernel;
        this.sender = sender;
        this.armTimer = armTimer;
        this.installed = installed;
        this.phase1s = phase1s;
        this.logger = logger;
    }

    public async Task<IReadOnlyList<SpiAllocation>> ExecuteAsync(IEnumerable<EngineIntent> intents, CancellationToken cancellation = default)
    {
        List<SpiAllocation>? answers = null;
        foreach (var intent in intents)
        {
            switch (intent)
            {
                case SendDatagram send:
                    sender.Send(send.Local, send.Remote, send.Datagram);
                    break;
                case AllocateSpi allocate:
                    (answers ??= []).Add(await AllocateAsync(allocate, cancellation).ConfigureAwait(false));
                    break;
                case InstallSaPair install:
                    await InstallAsync(install.Pair, cancellation).ConfigureAwait(false);
                    break;
                case UpdateSaPair update:
                    await UpdateAsync(update.Pair, cancellation).ConfigureAwait(false);
                    break;
                case SendNatKeepalive keepalive:
                    sender.SendNatKeepalive(keepalive.Local, keepalive.Remote);
                    break;
                case DeleteIpsecSa delete:
                    await DeleteAsync(new SaId(delete.Source, delete.Destination, KernelTranslation.ToKernel(delete.Protocol), delete.Spi), cancellation).ConfigureAwait(false);
                    break;
                case InstallPolicy install:
                    await InstallPolicyAsync(install, cancellation).ConfigureAwait(false);
                    break;
                case DeletePolicy delete:
                    await DeletePolicyAsync(delete, cancellation).ConfigureAwait(false);
                    break;
                case ArmTimer arm:
                    armTimer(arm.Due);
                    break;
                case Phase1Up up:
                    phase1s.Up(up);
                    break;
                case Phase1Down down:
                    phase1s.Down(down);
                    break;
                case NegotiationFailed failed:
                    // XFRM has no "ACQUIRE failed" message: the larval SA the kernel made for the ACQUIRE
                    // expires on its own (net.core.xfrm_acq_expires) and the next packet asks again.
                    // "(null)" without an ACQUIRE, as the logging formatter prints a null argument.
                    LogNegotiationFailed(logger, failed.Remote, failed.Reason, failed.Acquire?.Sequence.ToString(CultureInfo.InvariantCulture) ?? "(null)");
                    break;
                default:
                    LogUnknownIntent(logger, intent.GetType().Name);
                    break;
            }
        }
        return answers ?? (IReadOnlyList<SpiAllocation>)[];
    }

    private async Task<SpiAllocation> AllocateAsync(AllocateSpi allocate, CancellationToken cancellation)
    {
        var request = KernelTranslation.ToKernel(allocate);
        try
        {
            var spi = await kernel.AllocateSpiAsync(request, cancellation).ConfigureAwait(false);
            installed.Add(new SaId(request.Source, request.Destination, request.Protocol, spi));
            if (logger.IsEnabled(LogLevel.Debug))
                LogSpiAllocated(logger, $"0x{spi:x}", request.Protocol, request.Source, request.Destination);
            return new SpiAllocation(allocate.RequestId, spi);
        }
        catch (KernelIpsecException e)
        {
            LogSpiFailed(logger, request.Protocol, request.Source, request.Destination, e.Message);
            return new SpiAllocation(allocate.RequestId, null, e.Message);
        }
    }

    private async Task InstallAsync(IpsecSaPair pair, CancellationToken cancellation)
    {
        SecurityAssociation inbound, outbound;
        try
        {
            (inbound, outbound) = KernelTranslation.ToKernel(pair, kernel.Capabilities);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            LogCannotInstall(logger, RacoonText.IpsecSa(pair.Protocol, pair.Mode, pair.RemoteAddress, pair.LocalAddress, pair.InboundSpi), e.Message);
            return;
        }
        if (KernelTranslation.IntegrityOf(pair) is { } integrity && kernel.Capabilities.ShortensIcv(integrity))
            LogShortIcv(logger, integrity.Name);

        // Inbound first (pk_sendupdate), so the peer's first packets under the new SA already find it.
        // The engine logs racoon's "IPsec-SA established" lines; here only what the kernel did.
        if (await InstallOneAsync(inbound, update: true, cancellation).ConfigureAwait(false))
            LogInboundInstalled(logger, inbound.Id);
        if (await InstallOneAsync(outbound, update: false, cancellation).ConfigureAwait(false))
            LogOutboundInstalled(logger, outbound.Id);
    }

    /// <summary>
    /// Both SAs of the pair exist: replace them in place (XFRM_MSG_UPDSA, SADB_UPDATE), as after the NAT in front of
    /// the peer moved its mapping. The kernel keeps each SA's counters and add time, so it expires when it would have.
    /// </summary>
    private async Task UpdateAsync(IpsecSaPair pair, CancellationToken cancellation)
    {
        SecurityAssociation inbound, outbound;
        try
        {
            (inbound, outbound) = KernelTranslation.ToKernel(pair, kernel.Capabilities);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            LogCannotUpdate(logger, RacoonText.IpsecSa(pair.Protocol, pair.Mode, pair.RemoteAddress, pair.LocalAddress, pair.InboundSpi), e.Message);
            return;
        }
        foreach (var (sa, what) in new[] { (inbound, "updating the inbound SA"), (outbound, "updating the outbound SA") })
        {
            try
            {
                await kernel.UpdateSaAsync(sa, cancellation).ConfigureAwait(false);
                installed.Replace(sa);
                LogUpdated(logger, sa.Id, sa.NatTraversal?.SourcePort ?? 0, sa.NatTraversal?.DestinationPort ?? 0);
            }
            catch (KernelIpsecException e)
            {
                LogInstallFailed(logger, what, sa.Id, e.Message);
            }
        }
    }

    private async Task<bool> InstallOneAsync(SecurityAssociation sa, bool update, CancellationToken cancellation)
    {
        try
        {
            if (update)
            {
                try
                {
                    await kernel.UpdateSaAsync(sa, cancellation).ConfigureAwait(false);
                }
                catch (KernelIpsecException e) when (e.IsNotFound)
                {
                    // The larval SA is gone (xfrm_acq_expires ran out while crypto modules loaded): add it afresh.
                    await kernel.AddSaAsync(sa, cancellation).ConfigureAwait(false);
                }
            }
            else
            {
                await kernel.AddSaAsync(sa, cancellation).ConfigureAwait(false);
            }
            installed.Add(sa);
            return true;
        }
        catch (KernelIpsecException e)
        {
            LogInstallFailed(logger, update ? "installing the inbound SA" : "installing the outbound SA", sa.Id, e.Message);
            return false;
        }
    }

    /// <summary>Deletes one SA; an SA already gone is not an error.</summary>
    public async Task DeleteAsync(SaId id, CancellationToken cancellation = default)
    {
        try
        {
            await kernel.DeleteSaAsync(id, cancellation).ConfigureAwait(false);
            LogDeleted(logger, id);
        }
        catch (KernelIpsecException e) when (e.IsNotFound)
        {
            LogAlreadyGone(logger, id);
        }
        catch (KernelIpsecException e)
        {
            LogDeleteFailed(logger, id, e.Message);
        }
        installed.Remove(id);
    }
}
