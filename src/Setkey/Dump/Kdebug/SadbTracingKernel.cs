using System.Net.Sockets;
using KernelIpsec.Netlink;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.PfKey;

namespace KernelIpsec.Setkey.Dump.Kdebug;

/// <summary>
/// <c>-v</c>/<c>-H</c> over a backend that is not PF_KEY: each operation is shown as the PF_KEY request setkey
/// would send (sequence 0, our pid) and the answer af_key would give: the SA or policy it installed or found, dump
/// records numbered down to 0, the header with errno on failure. Where XFRM reports less than af_key would
/// (a delete), the answer repeats the request, as af_key's answer starts with the same fields.
/// </summary>
internal sealed class SadbTracingKernel(IKernelIpsec inner, KdebugTrace trace, uint pid) : IKernelIpsec
{
    private const int ENOENT = 2;

    public Task AddSaAsync(SecurityAssociation sa, CancellationToken cancellationToken = default) =>
        Install(sa, update: false, () => inner.AddSaAsync(sa, cancellationToken));

    public Task UpdateSaAsync(SecurityAssociation sa, CancellationToken cancellationToken = default) =>
        Install(sa, update: true, () => inner.UpdateSaAsync(sa, cancellationToken));

    public async Task<SecurityAssociation?> GetSaAsync(SaId id, CancellationToken cancellationToken = default)
    {
        trace.Sent(SadbWire.SaIdRequest(SadbType.Get, id, 0, pid));
        var sa = await Answered(SadbType.Get, id.Protocol, () => inner.GetSaAsync(id, cancellationToken)).ConfigureAwait(false);
        trace.Received(sa is null ? SadbWire.Header(SadbType.Get, id.Protocol, 0, pid, ENOENT) : SadbWire.SaRecord(SadbType.Get, sa, 0, pid));
        return sa;
    }

    public async Task DeleteSaAsync(SaId id, CancellationToken cancellationToken = default)
    {
        var request = SadbWire.SaIdRequest(SadbType.Delete, id, 0, pid);
        trace.Sent(request);
        await Answered(SadbType.Delete, id.Protocol, () => inner.DeleteSaAsync(id, cancellationToken)).ConfigureAwait(false);
        trace.Received(request);
    }

    public async Task<IReadOnlyList<SecurityAssociation>> DumpSasAsync(CancellationToken cancellationToken = default)
    {
        trace.Sent(SadbWire.Header(SadbType.Dump, null, 0, pid));
        var sas = await Answered(SadbType.Dump, null, () => inner.DumpSasAsync(cancellationToken)).ConfigureAwait(false);
        Records(SadbType.Dump, sas, (sa, seq) => SadbWire.SaRecord(SadbType.Dump, sa, seq, pid));
        return sas;
    }

    public async Task FlushSasAsync(IpsecProtocol? protocol = null, CancellationToken cancellationToken = default)
    {
        var request = SadbWire.FlushRequest(protocol, 0, pid);
        trace.Sent(request);
        await Answered(SadbType.Flush, protocol, () => inner.FlushSasAsync(protocol, cancellationToken)).ConfigureAwait(false);
        trace.Received(request);
    }

    public async Task<uint> AllocateSpiAsync(SpiRequest request, CancellationToken cancellationToken = default)
    {
        trace.Sent(SadbWire.GetSpiRequest(request, 0, pid));
        var spi = await Answered(SadbType.GetSpi, request.Protocol, () => inner.AllocateSpiAsync(request, cancellationToken)).ConfigureAwait(false);
        var larval = new SecurityAssociation(request.Source, request.Destination, request.Protocol, spi) { Mode = request.Mode, ReqId = request.ReqId };
        trace.Received(SadbWire.SaRecord(SadbType.GetSpi, larval, 0, pid, larval: true));
        return spi;
    }

    public Task AddPolicyAsync(SecurityPolicy policy, CancellationToken cancellationToken = default) =>
        Install(policy, update: false, () => inner.AddPolicyAsync(policy, cancellationToken));

    public Task UpdatePolicyAsync(SecurityPolicy policy, CancellationToken cancellationToken = default) =>
        Install(policy, update: true, () => inner.UpdatePolicyAsync(policy, cancellationToken));

    /// <summary>
    /// PF_KEY finds a policy by selector only in a dump, so this shows an SPDDUMP request; of its answer only the
    /// matching record (or ENOENT), since the backend looked the policy up directly.
    /// </summary>
    public async Task<SecurityPolicy?> GetPolicyAsync(PolicyId id, CancellationToken cancellationToken = default)
    {
        trace.Sent(SadbWire.Header(SadbType.SpdDump, null, 0, pid));
        var policy = await Answered(SadbType.SpdDump, null, () => inner.GetPolicyAsync(id, cancellationToken)).ConfigureAwait(false);
        Records<SecurityPolicy>(SadbType.SpdDump, policy is null ? [] : [policy], (p, seq) => SadbWire.PolicyRecord(SadbType.SpdDump, p, seq, pid));
        return policy;
    }

    public async Task DeletePolicyAsync(PolicyId id, CancellationToken cancellationToken = default)
    {
        var request = SadbWire.DeletePolicyRequest(id, 0, pid);
        trace.Sent(request);
        await Answered(SadbType.SpdDelete, null, () => inner.DeletePolicyAsync(id, cancellationToken)).ConfigureAwait(false);
        trace.Received(request);
    }

    public async Task<IReadOnlyList<SecurityPolicy>> DumpPoliciesAsync(CancellationToken cancellationToken = default)
    {
        trace.Sent(SadbWire.Header(SadbType.SpdDump, null, 0, pid));
        var policies = await Answered(SadbType.SpdDump, null, () => inner.DumpPoliciesAsync(cancellationToken)).ConfigureAwait(false);
        Records(SadbType.SpdDump, policies, (p, seq) => SadbWire.PolicyRecord(SadbType.SpdDump, p, seq, pid));
        return policies;
    }

    public async Task FlushPoliciesAsync(CancellationToken cancellationToken = default)
    {
        var request = SadbWire.Header(SadbType.SpdFlush, null, 0, pid);
        trace.Sent(request);
        await Answered(SadbType.SpdFlush, null, () => inner.FlushPoliciesAsync(cancellationToken)).ConfigureAwait(false);
        trace.Received(request);
    }

    public IKernelEventSubscription SubscribeEvents() => inner.SubscribeEvents();

    public KernelCapabilities Capabilities => inner.Capabilities;

    public IKernelEventSubscription SubscribePromiscuous() => inner.SubscribePromiscuous();

    public void ObservePfKeyTraffic(PfKeyTrafficObserver observer) => inner.ObservePfKeyTraffic(observer);

    public void BypassSocket(Socket socket) => inner.BypassSocket(socket);

    public void EnableUdpEncapsulation(Socket socket) => inner.EnableUdpEncapsulation(socket);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private async Task Install(SecurityAssociation sa, bool update, Func<Task> install)
    {
        var type = update ? SadbType.Update : SadbType.Add;
        try
        {
            trace.Sent(SadbWire.AddSaRequest(sa, update, 0, pid));
        }
        catch (ArgumentException e)
        {
            trace.NotExpressible(e.Message);
        }

        await Answered(type, sa.Id.Protocol, install).ConfigureAwait(false);
        trace.Received(SadbWire.SaRecord(type, sa, 0, pid));
    }

    private async Task Install(SecurityPolicy policy, bool update, Func<Task> install)
    {
        var type = update ? SadbType.SpdUpdate : SadbType.SpdAdd;
        trace.Sent(SadbWire.PolicyRequest(policy, update, 0, pid));
        await Answered(type, null, install).ConfigureAwait(false);
        trace.Received(SadbWire.PolicyRecord(type, policy, 0, pid));
    }

    private Task Answered(SadbType type, IpsecProtocol? protocol, Func<Task> operation) =>
        Answered(type, protocol, async () =>
        {
            await operation().ConfigureAwait(false);
            return true;
        });

    /// <summary>Runs the operation; a kernel error is shown as af_key's error answer (the header with errno) and rethrown.</summary>
    private async Task<T> Answered<T>(SadbType type, IpsecProtocol? protocol, Func<Task<T>> operation)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (KernelIpsecException e)
        {
            // XFRM says ESRCH where af_key says ENOENT.
            trace.Received(SadbWire.Header(type, protocol, 0, pid, e.IsNotFound ? ENOENT : e.Errno));
            throw;
        }
    }

    /// <summary>Dump records as af_key sends them, numbered down to 0; an empty dump is an ENOENT answer.</summary>
    private void Records<T>(SadbType type, IReadOnlyList<T> entries, Func<T, uint, byte[]> record)
    {
        if (entries.Count == 0)
            trace.Received(SadbWire.Header(type, null, 0, pid, ENOENT));
        for (var i = 0; i < entries.Count; i++)
            trace.Received(record(entries[i], (uint)(entries.Count - 1 - i)));
    }
}
