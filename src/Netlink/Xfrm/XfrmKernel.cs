using System.Net.Sockets;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.Interop;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.NetlinkProtocol;
using KernelIpsec.Netlink.PfKey;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static KernelIpsec.Netlink.Interop.NetlinkConstants;

namespace KernelIpsec.Netlink.Xfrm;

/// <summary>
/// <see cref="IKernelIpsec"/> over NETLINK_XFRM. One request socket, one request at a time (replies are
/// matched by sequence number; stale ones are skipped). Dumps are restarted when the kernel marks them
/// interrupted (NLM_F_DUMP_INTR), so a dump is always one consistent snapshot. Sockets belong to the network
/// namespace of the thread that calls <see cref="Open"/>.
/// </summary>
public sealed partial class XfrmKernel : IKernelIpsec
{
    private const int ReceiveBufferSize = 64 * 1024;   // dumps come in skbs of at most 32 KiB
    private const int MaxDumpAttempts = 10;

    private readonly NetlinkSocket socket;
    private readonly ILogger logger;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly ReqIdGenerator reqIds = new();
    // Not zeroed: only the bytes a receive wrote are read, and zeroing 64 KiB up front faulted in 16 pages at
    // every start of a one-shot tool (8% of `setkey -D`'s page faults) for answers that are mostly a few bytes.
    private readonly byte[] buffer = GC.AllocateUninitializedArray<byte>(ReceiveBufferSize);
    private uint sequence = (uint)Environment.TickCount;

    private XfrmKernel(NetlinkSocket socket, ILogger logger)
    {
        this.socket = socket;
        this.logger = logger;
    }

    /// <summary>Opens the request socket (in the calling thread's network namespace).</summary>
    public static XfrmKernel Open(ILogger? logger = null) =>
        new(NetlinkSocket.Open(XfrmConstants.NETLINK_XFRM, groups: 0), logger ?? NullLogger.Instance);

    public KernelCapabilities Capabilities => KernelCapabilities.Xfrm;

    public void BypassSocket(Socket socket) => XfrmSocketPolicy.Apply(socket);

    public void EnableUdpEncapsulation(Socket socket) => UdpEncapsulation.Enable(socket);

    /// <summary>XFRM has no promiscuous mode: its event groups (<see cref="SubscribeEvents"/>) already carry every change.</summary>
    public IKernelEventSubscription SubscribePromiscuous() => throw new NotSupportedException("XFRM has no promiscuous monitor; subscribe to its events");

    /// <summary>XFRM speaks netlink, not PF_KEY; setkey shows the PF_KEY equivalent of each request instead.</summary>
    public void ObservePfKeyTraffic(PfKeyTrafficObserver observer) => throw new NotSupportedException("the XFRM backend exchanges no PF_KEY messages");

    public Task AddSaAsync(SecurityAssociation sa, CancellationToken cancellationToken = default) => InstallSa(sa, update: false, cancellationToken);

    public Task UpdateSaAsync(SecurityAssociation sa, CancellationToken cancellationToken = default) => InstallSa(sa, update: true, cancellationToken);

    public async Task<SecurityAssociation?> GetSaAsync(SaId id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        try
        {
            var found = await Request(s => XfrmMessages.SaId(id, delete: false, s), "get SA", id.ToString(), (_, body) => XfrmDecoder.Sa(body), cancellationToken).ConfigureAwait(false);
            return found.SingleOrDefault();
        }
        catch (KernelIpsecException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public Task DeleteSaAsync(SaId id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Request<object>(s => XfrmMessages.SaId(id, delete: true, s), "delete SA", id.ToString(), null, cancellationToken);
    }

    public Task<IReadOnlyList<SecurityAssociation>> DumpSasAsync(CancellationToken cancellationToken = default) =>
        Request(XfrmMessages.DumpSas, "dump SAs", "", (type, body) => type == XfrmConstants.XFRM_MSG_NEWSA ? XfrmDecoder.IpsecSa(body) : null, cancellationToken);

    public Task FlushSasAsync(IpsecProtocol? protocol = null, CancellationToken cancellationToken = default) =>
        Request<object>(s => XfrmMessages.FlushSas(protocol, s), "flush SAs", protocol?.ToString().ToLowerInvariant() ?? "all", null, cancellationToken);

    public async Task<uint> AllocateSpiAsync(SpiRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var entry = $"{request.Protocol.ToString().ToLowerInvariant()} {request.Source}->{request.Destination} range {request.EffectiveRange}";
        var larval = await Request(s => XfrmMessages.AllocateSpi(request, s), "allocate SPI", entry, (_, body) => XfrmDecoder.Sa(body), cancellationToken).ConfigureAwait(false);
        return larval.Count == 1 ? larval[0].Id.Spi : throw new NetlinkFormatException($"ALLOCSPI answered with {larval.Count} SAs instead of one");
    }

    public Task AddPolicyAsync(SecurityPolicy policy, CancellationToken cancellationToken = default) => InstallPolicy(policy, update: false, cancellationToken);

    public Task UpdatePolicyAsync(SecurityPolicy policy, CancellationToken cancellationToken = default) => InstallPolicy(policy, update: true, cancellationToken);

    public async Task<SecurityPolicy?> GetPolicyAsync(PolicyId id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        try
        {
            var found = await Request(s => XfrmMessages.PolicyId(id, delete: false, s), "get policy", id.ToString(), (_, body) => XfrmDecoder.Policy(body), cancellationToken).ConfigureAwait(false);
            return found.SingleOrDefault();
        }
        catch (KernelIpsecException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public Task DeletePolicyAsync(PolicyId id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Request<object>(s => XfrmMessages.PolicyId(id, delete: true, s), "delete policy", id.ToString(), null, cancellationToken);
    }

    public Task<IReadOnlyList<SecurityPolicy>> DumpPoliciesAsync(CancellationToken cancellationToken = default) =>
        Request(XfrmMessages.DumpPolicies, "dump policies", "", (type, body) => type == XfrmConstants.XFRM_MSG_NEWPOLICY ? XfrmDecoder.DumpedPolicy(body) : null, cancellationToken);

    public Task FlushPoliciesAsync(CancellationToken cancellationToken = default) =>
        Request<object>(XfrmMessages.FlushPolicies, "flush policies", "all", null, cancellationToken);

    public IKernelEventSubscription SubscribeEvents() => SubscribeEvents(XfrmEventSubscription.DefaultReceiveBufferBytes);

    /// <summary>As <see cref="SubscribeEvents()"/> with a chosen socket receive buffer (tests use a tiny one to provoke ENOBUFS).</summary>
    internal IKernelEventSubscription SubscribeEvents(int receiveBufferBytes) => XfrmEventSubscription.Open(logger, receiveBufferBytes);

    public ValueTask DisposeAsync()
    {
        socket.Dispose();
        gate.Dispose();
        return ValueTask.CompletedTask;
    }

    private Task InstallSa(SecurityAssociation sa, bool update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sa);
        sa.Validate();
        return Request<object>(s => XfrmMessages.AddSa(sa, update, s), update ? "update SA" : "add SA", sa.Id.ToString(), null, cancellationToken);
    }

    private async Task InstallPolicy(SecurityPolicy policy, bool update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        if (ReqIdGenerator.Needed(policy))
            policy = reqIds.Assign(policy, await DumpPoliciesAsync(cancellationToken).ConfigureAwait(false));
        await Request<object>(s => XfrmMessages.AddPolicy(policy, update, s), update ? "update policy" : "add policy", policy.Id.ToString(), null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends one request and collects what <paramref name="decode"/> makes of the data messages answering it
    /// (null results are skipped), until the ACK, the single reply, or NLMSG_DONE of a dump. An error reply
    /// becomes a <see cref="KernelIpsecException"/>. An interrupted dump is repeated from the start.
    /// </summary>
    private async Task<IReadOnlyList<T>> Request<T>(Func<uint, byte[]> build, string operation, string entry, BodyDecoder<T>? decode, CancellationToken cancellationToken)
        where T : class
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var seq = unchecked(++sequence);
                var message = build(seq);
                var isDump = (BitConverterFlags(message) & NLM_F_DUMP) == NLM_F_DUMP;
                var expectsAck = (BitConverterFlags(message) & NLM_F_ACK) != 0;
                var results = new List<T>();
                var interrupted = false;
                socket.Send(message);
                var done = false;
                while (!done)
                {
                    // Synchronous: the answer is already queued (see NetlinkSocket), and no epoll thread gets started.
                    var received = socket.Receive(buffer, cancellationToken);
                    done = Process(buffer.AsSpan(0, received), seq, isDump, expectsAck, operation, entry, decode, results, ref interrupted);
                }

                if (!interrupted)
                    return results;
                if (attempt == MaxDumpAttempts)
                    throw new KernelIpsecException(operation, $"{entry} (interrupted {attempt} times by concurrent changes)", KernelErrno.EINTR);
                LogDumpRestarted(logger, operation);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private static ushort BitConverterFlags(byte[] message) => System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(6));

    /// <summary>Handles one datagram; true when the request is complete.</summary>
    internal static bool Process<T>(ReadOnlySpan<byte> datagram, uint seq, bool isDump, bool expectsAck, string operation, string entry, BodyDecoder<T>? decode, List<T> results, ref bool interrupted)
        where T : class
    {
        var done = false;
        while (NetlinkMessage.TryRead(ref datagram, out var m))
        {
            if (m.Sequence != seq)
                continue; // a late answer to an earlier, abandoned request
            if ((m.Flags & NLM_F_DUMP_INTR) != 0)
                interrupted = true;
            switch (m.Type)
            {
                case NLMSG_NOOP:
                    continue;
                case NLMSG_ERROR:
                    var errno = m.ErrorCode();
                    if (errno != 0)
                        throw new KernelIpsecException(operation, entry, errno);
                    done = true;
                    break;
                case NLMSG_DONE:
                    if (m.Body.Length >= 4 && m.ErrorCode() is var doneErrno && doneErrno > 0)
                        throw new KernelIpsecException(operation, entry, doneErrno);
                    done = true;
                    break;
                default:
                    if (decode?.Invoke(m.Type, m.Body) is { } item)
                        results.Add(item);
                    if (!isDump && !expectsAck)
                        done = true;
                    break;
            }
        }

        return done;
    }

    internal delegate T? BodyDecoder<T>(ushort type, ReadOnlySpan<byte> body);
}
