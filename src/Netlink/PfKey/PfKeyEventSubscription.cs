using System.Net.Sockets;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.Model;
using Microsoft.Extensions.Logging;
using static KernelIpsec.Netlink.PfKey.PfKeyConstants;

namespace KernelIpsec.Netlink.PfKey;

/// <summary>
/// A PF_KEY socket registered for AH, ESP and IPComp (so af_key sends it ACQUIREs and EXPIREs) that also receives
/// every SA and SPD broadcast. Messages become the same <see cref="KernelEvent"/> records as XFRM notifications.
/// af_key drops broadcasts silently when a socket's queue is full, so the queue is made large (4 MiB).
/// </summary>
internal sealed partial class PfKeyEventSubscription : IKernelEventSubscription
{
    public const int ReceiveBufferBytes = 4 * 1024 * 1024;

    private readonly PfKeySocket socket;
    private readonly ILogger logger;
    private readonly Func<uint, CancellationToken, Task<SecurityPolicy?>> policyByIndex;
    private readonly bool promiscuous;
    private readonly CancellationTokenSource disposed = new();

    private PfKeyEventSubscription(PfKeySocket socket, ILogger logger, Func<uint, CancellationToken, Task<SecurityPolicy?>> policyByIndex, bool promiscuous)
    {
        this.socket = socket;
        this.logger = logger;
        this.policyByIndex = policyByIndex;
        this.promiscuous = promiscuous;
    }

    public static PfKeyEventSubscription Open(ILogger logger, Func<uint, CancellationToken, Task<SecurityPolicy?>> policyByIndex, bool promiscuous)
    {
        var socket = PfKeySocket.Open(ReceiveBufferBytes);
        try
        {
            // The answers (REGISTER's algorithm lists, X_PROMISC's echo) come to this socket and are skipped as non-events.
            // A promiscuous socket sees ACQUIREs and EXPIREs without registering (registered, it would see each twice
            // and its monitor would start with three REGISTER answers, which setkey -x does not show).
            var pid = (uint)Environment.ProcessId;
            if (promiscuous)
            {
                socket.Send(PfKeyMessages.Bare(SADB_X_PROMISC, 1, 0, pid), "set promiscuous", "PF_KEY socket");
            }
            else
            {
                foreach (var satype in new[] { SADB_SATYPE_AH, SADB_SATYPE_ESP, SADB_X_SATYPE_IPCOMP })
                    socket.Send(PfKeyMessages.Bare(SADB_REGISTER, satype, 0, pid), "register", $"satype {satype}");
            }
            return new PfKeyEventSubscription(socket, logger, policyByIndex, promiscuous);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async IAsyncEnumerator<KernelEvent> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, disposed.Token);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            int received;
            try
            {
                received = await socket.ReceiveAsync(buffer, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (disposed.IsCancellationRequested)
            {
                yield break;
            }
            catch (ObjectDisposedException)
            {
                yield break;
            }
            catch (SocketException e) when (disposed.IsCancellationRequested || e.SocketErrorCode == SocketError.OperationAborted)
            {
                yield break;
            }

            SadbMessage message;
            try
            {
                message = SadbMessage.Parse(buffer.AsSpan(0, received));
            }
            catch (PfKeyFormatException e)
            {
                LogUnreadable(logger, e.Message);
                continue;
            }

            var meaning = await Meaning(message, linked.Token).ConfigureAwait(false);
            if (promiscuous)
            {
                var h = message.Header;
                yield return new PfKeyMessageEvent(h.Type, message.Name, h.SaType, h.Errno, h.Sequence, h.Pid, message.Bytes, meaning);
            }
            else if (meaning is not null)
            {
                yield return meaning;
            }
        }
    }

    private async Task<KernelEvent?> Meaning(SadbMessage message, CancellationToken cancellationToken)
    {
        try
        {
            if (message.Header.Type == SADB_ACQUIRE && message.Header.Errno == 0)
            {
                // The ACQUIRE names its policy by index; fetch the rest (templates, selector) as racoon does from its SPD copy.
                SecurityPolicy? policy = null;
                if (message.Policy() is { Id: not 0 } x)
                {
                    try
                    {
                        policy = await policyByIndex(x.Id, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is KernelIpsecException or PfKeyFormatException)
                    {
                        LogAcquirePolicyUnreadable(logger, message.Header.Sequence, x.Id, e.Message);
                    }
                }

                return PfKeyDecoder.Acquire(message, policy);
            }

            return PfKeyDecoder.Event(message);
        }
        catch (Exception e) when (e is PfKeyFormatException or ArgumentException)
        {
            // One odd message must not end the stream; say what was dropped.
            if (!promiscuous)
                LogDropped(logger, message.Name, e.Message);
            return null;
        }
    }

    public ValueTask DisposeAsync()
    {
        disposed.Cancel();
        socket.Dispose();
        disposed.Dispose();
        return ValueTask.CompletedTask;
    }
}
