using System.Net.Sockets;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.Interop;
using KernelIpsec.Netlink.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static KernelIpsec.Netlink.PfKey.PfKeyConstants;

namespace KernelIpsec.Netlink.PfKey;

/// <summary>
/// <see cref="IKernelIpsec"/> over PF_KEY v2 (RFC 2367 with the KAME/Linux SPD extensions), as ipsec-tools spoke
/// to Linux. One request socket, one request at a time. af_key answers on the same socket: a reply carries our
/// sequence number and pid (ADD, DELETE and the SPD changes come back as the broadcast every PF_KEY socket sees;
/// GET, GETSPI and errors come to us alone); dump records are numbered 1, 2, … with the last one 0; an empty dump
/// is an ENOENT answer. Broadcasts of other processes' changes that queue up between requests are skipped.
/// <para>
/// Linux facts this backend shows rather than hides: af_key installs HMAC-SHA-256 with a 96-bit ICV (the SA reads
/// back with 96, and a warning is logged when another length was asked for); it drops a NAT-T original address and
/// transport-mode request endpoints; it keeps a reqid only with level unique;
/// it has no AEAD ciphers (ENOSYS); it never sends SPDEXPIRE; its ACQUIRE names the policy by index only (looked
/// up with SPDGET here).
/// </para>
/// </summary>
public sealed partial class PfKeyKernel : IKernelIpsec
{
    private const int BufferSize = 64 * 1024;
    private const int RequestReceiveBufferBytes = 1024 * 1024;
    private const int ETIMEDOUT = 110;
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    private readonly PfKeySocket socket;
    private readonly ILogger logger;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly byte[] buffer = new byte[BufferSize];
    private readonly uint pid = (uint)Environment.ProcessId;
    private PfKeyTrafficObserver? observer;

    // Starts high and random: GETSPI with a sequence number equal to a pending ACQUIRE's (small numbers) would
    // adopt that ACQUIRE's larval SA, and two instances in one process must not answer each other.
    private uint sequence = (uint)Random.Shared.Next(0x10000000, 0x70000000);

    private PfKeyKernel(PfKeySocket socket, ILogger logger)
    {
        this.socket = socket;
        this.logger = logger;
    }

    /// <summary>
    /// Opens the request socket in the calling thread's network namespace. Without af_key in the kernel this throws
    /// <see cref="PlatformNotSupportedException"/>: "PF_KEY not available: load af_key or use --kernel xfrm".
    /// </summary>
    public static PfKeyKernel Open(ILogger? logger = null) =>
        new(PfKeySocket.Open(RequestReceiveBufferBytes), logger ?? NullLogger.Instance);

    public KernelCapabilities Capabilities => KernelCapabilities.PfKey;

    /// <summary>
    /// From now on, shows <paramref name="observer"/> every request this kernel sends and every answer it takes
    /// for one (<c>setkey -v</c> / <c>-H</c>); broadcasts of others' changes that are skipped are not shown.
    /// </summary>
    public void ObservePfKeyTraffic(PfKeyTrafficObserver observer) => this.observer = observer;

    /// <summary>racoon's form: sadb_x_policy BYPASS, which af_key (loaded, since this backend runs) compiles.</summary>
    public void BypassSocket(Socket socket) => PfKeySocketPolicy.Apply(socket);

    public void EnableUdpEncapsulation(Socket socket) => UdpEncapsulation.Enable(socket);

    public Task AddSaAsync(SecurityAssociation sa, CancellationToken cancellationToken = default) => InstallSa(sa, update: false, cancellationToken);

    public Task UpdateSaAsync(SecurityAssociation sa, CancellationToken cancellationToken = default) => InstallSa(sa, update: true, cancellationToken);

    public async Task<SecurityAssociation?> GetSaAsync(SaId id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        try
        {
            var found = await Request(SADB_GET, s => PfKeyMessages.SaId(id, SADB_GET, s, pid), "get SA", id.ToString(), PfKeyDecoder.Sa, cancellationToken).ConfigureAwait(false);
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
        return Request<object>(SADB_DELETE, s => PfKeyMessages.SaId(id, SADB_DELETE, s, pid), "delete SA", id.ToString(), null, cancellationToken);
    }

    public Task<IReadOnlyList<SecurityAssociation>> DumpSasAsync(CancellationToken cancellationToken = default) =>
        Dump(SADB_DUMP, s => PfKeyMessages.Dump(s, pid), "dump SAs", PfKeyDecoder.Sa, cancellationToken);

    public Task FlushSasAsync(IpsecProtocol? protocol = null, CancellationToken cancellationToken = default) =>
        Request<object>(SADB_FLUSH, s => PfKeyMessages.Flush(protocol, s, pid), "flush SAs", protocol?.ToString().ToLowerInvariant() ?? "all", null, cancellationToken);

    public async Task<uint> AllocateSpiAsync(SpiRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var entry = $"{request.Protocol.ToString().ToLowerInvariant()} {request.Source}->{request.Destination} range {request.EffectiveRange}";
        var larval = await Request(SADB_GETSPI, s => PfKeyMessages.GetSpi(request, s, pid), "allocate SPI", entry, PfKeyDecoder.Sa, cancellationToken,
            fixedSequence: request.AcquireSequence == 0 ? null : request.AcquireSequence).ConfigureAwait(false);
        return larval.Count == 1 ? larval[0].Id.Spi : throw new PfKeyFormatException($"SADB_GETSPI answered with {larval.Count} SAs instead of one");
    }

    public Task AddPolicyAsync(SecurityPolicy policy, CancellationToken cancellationToken = default) => InstallPolicy(policy, update: false, cancellationToken);

    public Task UpdatePolicyAsync(SecurityPolicy policy, CancellationToken cancellationToken = default) => InstallPolicy(policy, update: true, cancellationToken);

    /// <summary>PF_KEY looks policies up by index only (SPDGET); by selector this searches an SPDDUMP, as setkey does.</summary>
    public async Task<SecurityPolicy?> GetPolicyAsync(PolicyId id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var all = await DumpPoliciesAsync(cancellationToken).ConfigureAwait(false);
        return all.FirstOrDefault(p => p.Selector == id.Selector && p.Direction == id.Direction && Equals(p.SecurityContext, id.SecurityContext));
    }

    /// <summary>SADB_X_SPDGET: the policy with this index (setkey's spid), or null.</summary>
    public async Task<SecurityPolicy?> GetPolicyByIndexAsync(uint index, CancellationToken cancellationToken = default)
    {
        try
        {
            var found = await Request(SADB_X_SPDGET, s => PfKeyMessages.SpdByIndex(SADB_X_SPDGET, index, s, pid), "get policy", $"index {index}",
                PfKeyDecoder.Policy, cancellationToken).ConfigureAwait(false);
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
        return Request<object>(SADB_X_SPDDELETE, s => PfKeyMessages.SpdDelete(id, s, pid), "delete policy", id.ToString(), null, cancellationToken);
    }

    /// <summary>SADB_X_SPDDELETE2: removes the policy with this index; ENOENT if there is none.</summary>
    public Task DeletePolicyByIndexAsync(uint index, CancellationToken cancellationToken = default) =>
        Request<object>(SADB_X_SPDDELETE2, s => PfKeyMessages.SpdByIndex(SADB_X_SPDDELETE2, index, s, pid), "delete policy", $"index {index}", null, cancellationToken);

    public Task<IReadOnlyList<SecurityPolicy>> DumpPoliciesAsync(CancellationToken cancellationToken = default) =>
        Dump(SADB_X_SPDDUMP, s => PfKeyMessages.Bare(SADB_X_SPDDUMP, SADB_SATYPE_UNSPEC, s, pid), "dump policies", PfKeyDecoder.DumpedPolicy, cancellationToken);

    public Task FlushPoliciesAsync(CancellationToken cancellationToken = default) =>
        Request<object>(SADB_X_SPDFLUSH, s => PfKeyMessages.Bare(SADB_X_SPDFLUSH, SADB_SATYPE_UNSPEC, s, pid), "flush policies", "all", null, cancellationToken);

    /// <summary>
    /// SADB_REGISTER with satype UNSPEC: the algorithms the kernel supports over PF_KEY with their key lengths (what
    /// setkey checks keys against). Does not register this socket for ACQUIREs.
    /// </summary>
    public async Task<(IReadOnlyList<SadbSupportedAlgorithm> Authentication, IReadOnlyList<SadbSupportedAlgorithm> Encryption)> SupportedAlgorithmsAsync(
        CancellationToken cancellationToken = default)
    {
        var replies = await Request(SADB_REGISTER, s => PfKeyMessages.Bare(SADB_REGISTER, SADB_SATYPE_UNSPEC, s, pid), "register", "unspec",
            m => new SupportedLists(m.Supported(SADB_EXT_SUPPORTED_AUTH), m.Supported(SADB_EXT_SUPPORTED_ENCRYPT)), cancellationToken).ConfigureAwait(false);
        return (replies[0].Authentication, replies[0].Encryption);
    }

    /// <summary>
    /// Kernel events: this socket registers for AH, ESP and IPComp, so it receives ACQUIRE and EXPIRE besides the
    /// SA and SPD broadcasts. An ACQUIRE's policy is fetched by index through this kernel's request socket.
    /// </summary>
    public IKernelEventSubscription SubscribeEvents() => PfKeyEventSubscription.Open(logger, GetPolicyByIndexAsync, promiscuous: false);

    /// <summary>
    /// <c>setkey -x</c>: SADB_X_PROMISC, so every PF_KEY message on the system is seen, other processes' requests
    /// included; each arrives as a <see cref="PfKeyMessageEvent"/> carrying the message and what it means.
    /// </summary>
    public IKernelEventSubscription SubscribePromiscuous() => PfKeyEventSubscription.Open(logger, GetPolicyByIndexAsync, promiscuous: true);

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
        _ = PfKeyMessages.AddSa(sa, update, 0, pid); // refuses what PF_KEY cannot say before anything is sent
        if (sa.Authentication is { } auth && auth.IcvBits != Capabilities.IcvBitsFor(auth.Algorithm))
            LogIcvNotChosen(logger, sa.Id, auth.Algorithm.Name, Capabilities.IcvBitsFor(auth.Algorithm), auth.IcvBits);

        return Request<object>(update ? SADB_UPDATE : SADB_ADD, s => PfKeyMessages.AddSa(sa, update, s, pid), update ? "update SA" : "add SA", sa.Id.ToString(), null, cancellationToken);
    }

    private Task InstallPolicy(SecurityPolicy policy, bool update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        _ = PfKeyMessages.SpdAdd(policy, update, 0, pid);
        return Request<object>(update ? SADB_X_SPDUPDATE : SADB_X_SPDADD, s => PfKeyMessages.SpdAdd(policy, update, s, pid),
            update ? "update policy" : "add policy", policy.Id.ToString(), null, cancellationToken);
    }

    /// <summary>
    /// Sends one request and waits for the answer of the same type, pid and sequence number; an answer with
    /// sadb_msg_errno set becomes a <see cref="KernelIpsecException"/>.
    /// </summary>
    private async Task<IReadOnlyList<T>> Request<T>(byte type, Func<uint, byte[]> build, string operation, string entry, Func<SadbMessage, T>? decode,
        CancellationToken cancellationToken, uint? fixedSequence = null)
        where T : class
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var seq = fixedSequence ?? NextSequence();
            Send(build(seq), operation, entry);
            while (true)
            {
                var message = await Receive(type, operation, entry, cancellationToken).ConfigureAwait(false);
                if (message.Header.Sequence != seq)
                    continue;
                if (message.Header.Errno != 0)
                    throw new KernelIpsecException(operation, entry, message.Header.Errno);
                return decode is null ? [] : [decode(message)];
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>A dump: records numbered 1, 2, … with the last one 0 (its errno tells how the walk ended); ENOENT means empty.</summary>
    private async Task<IReadOnlyList<T>> Dump<T>(byte type, Func<uint, byte[]> build, string operation, Func<SadbMessage, T?> decode, CancellationToken cancellationToken)
        where T : class
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var seq = NextSequence();
            Send(build(seq), operation, "");
            var results = new List<T>();
            while (true)
            {
                var message = await Receive(type, operation, "", cancellationToken).ConfigureAwait(false);
                var h = message.Header;
                if (h.Errno != 0 && h.Sequence == seq && h.LengthWords == SadbMsgSize / WordBytes)
                {
                    if (h.Errno == KernelErrno.ENOENT)
                        return results;
                    throw new KernelIpsecException(operation, "", h.Errno);
                }

                if (h.LengthWords > SadbMsgSize / WordBytes && decode(message) is { } record)
                    results.Add(record);
                if (h.Sequence == 0)
                {
                    if (h.Errno != 0 && h.Errno != KernelErrno.ENOENT)
                        throw new KernelIpsecException(operation, $"(after {results.Count} entries)", h.Errno);
                    return results;
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private uint NextSequence()
    {
        var seq = unchecked(++sequence);
        return seq == 0 ? unchecked(++sequence) : seq;
    }

    /// <summary>Drops what queued up since the last request (broadcasts, a late duplicate), then sends.</summary>
    private void Send(byte[] message, string operation, string entry)
    {
        while (socket.TryReceiveQueued(buffer))
        {
        }

        observer?.Invoke(message, sent: true);
        socket.Send(message, operation, entry);
    }

    /// <summary>The next message of <paramref name="type"/> addressed to this process; others are skipped.</summary>
    private async Task<SadbMessage> Receive(byte type, string operation, string entry, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (true)
        {
            timeout.CancelAfter(ReplyTimeout);
            int received;
            try
            {
                received = await socket.ReceiveAsync(buffer, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new KernelIpsecException(operation, $"{entry} (no answer from the kernel in {ReplyTimeout.TotalSeconds:0} s)".TrimStart(), ETIMEDOUT);
            }

            var datagram = buffer.AsSpan(0, received);
            var header = SadbMessage.ReadHeader(datagram);
            if (header.Pid != pid || header.Type != type)
            {
                if (logger.IsEnabled(LogLevel.Trace))
                    LogSkipped(logger, MessageName(header.Type), header.Sequence, header.Pid, MessageName(type));
                continue;
            }

            observer?.Invoke(datagram, sent: false);
            return SadbMessage.Parse(datagram);
        }
    }

    private sealed record SupportedLists(IReadOnlyList<SadbSupportedAlgorithm> Authentication, IReadOnlyList<SadbSupportedAlgorithm> Encryption);
}
