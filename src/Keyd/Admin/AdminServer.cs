using System.Net.Sockets;
using System.Runtime.InteropServices;
using KernelIpsec.Ike.Config;
using KernelIpsec.Keyd.AdminProtocol;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Keyd.Admin;

/// <summary>
/// racoon's admin port: a Unix stream socket (unlink, bind, chown owner:group, chmod mode, listen 5);
/// each connection carries one request and gets one reply. Requests are answered by
/// <paramref name="handle"/>, which the daemon runs on its loop. A version-1 show-event request keeps its
/// connection: after the (empty) reply it receives every event <see cref="AdminEventHub"/> publishes.
/// </summary>
internal sealed partial class AdminServer : IDisposable
{
    private readonly Socket listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Func<AdminRequest, Task<byte[]>> handle;
    private readonly ILogger logger;
    private readonly Task acceptLoop;
    private readonly AdminEventHub events;
    private readonly Lock sessionsGate = new();
    private readonly List<Task> openSessions = [];

    public string Path { get; }

    private AdminServer(Socket listener, string path, Func<AdminRequest, Task<byte[]>> handle, AdminEventHub events, ILogger logger)
    {
        this.listener = listener;
        Path = path;
        this.handle = handle;
        this.events = events;
        this.logger = logger;
        acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Creates the socket; throws <see cref="SocketException"/>/<see cref="IOException"/> with the path when it cannot.</summary>
    public static AdminServer Start(AdminSocketConfig config, Func<AdminRequest, Task<byte[]>> handle, AdminEventHub events, ILogger logger)
    {
        var path = config.Path;
        var directory = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);
        if (File.Exists(path))
            File.Delete(path);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, (UnixFileMode)config.Mode);
            var uid = ResolveId(config.Owner, "/etc/passwd");
            var gid = ResolveId(config.Group, "/etc/group");
            if (chown(path, uid, gid) != 0)
                throw new IOException($"chown {path} to {config.Owner}:{config.Group}: errno {Marshal.GetLastPInvokeError()}");
            socket.Listen(5);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        // racoon's admin_init line, written once per start (a SIGHUP keeps the socket).
        logger.LogDebug("open {Path} as racoon management.", path);
        return new AdminServer(socket, path, handle, events, logger);
    }

    /// <summary>A user or group as written in `adminsock`: a number, or a name looked up in <paramref name="database"/>.</summary>
    internal static uint ResolveId(string nameOrNumber, string database)
    {
        if (uint.TryParse(nameOrNumber, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
            return id;
        foreach (var line in File.ReadLines(database))
        {
            var fields = line.Split(':');
            if (fields.Length > 2 && fields[0] == nameOrNumber && uint.TryParse(fields[2], System.Globalization.CultureInfo.InvariantCulture, out id))
                return id;
        }
        throw new IOException($"adminsock: no such {(database.EndsWith("group", StringComparison.Ordinal) ? "group" : "user")} \"{nameOrNumber}\"");
    }

    private async Task AcceptLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            var session = Task.Run(() => ServeAsync(client));
            lock (sessionsGate)
            {
                openSessions.RemoveAll(t => t.IsCompleted);
                openSessions.Add(session);
            }
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                var headerBytes = new byte[AdminHeader.Size];
                await ReceiveExactlyAsync(client, headerBytes, timeout.Token).ConfigureAwait(false);
                var header = AdminHeader.Read(headerBytes);
                if (header.Length < AdminHeader.Size)
                {
                    logger.LogError("admin request with invalid length {Length}", header.Length);
                    return;
                }
                var payload = new byte[header.Length - AdminHeader.Size];
                await ReceiveExactlyAsync(client, payload, timeout.Token).ConfigureAwait(false);
                // racoon's admin.c: with version >= 1, show-event, establish-sa and delete-all-sa-dst subscribe the
                // connection (establish-sa -w waits on it for its phase 2, vpn-disconnect for "Phase 1 deleted";
                // version 0 show-event was one-shot polling). Subscribed before the request runs, so no event it
                // causes can slip past.
                var subscribe = header.BareCommand is AdminCommand.ShowEvent or AdminCommand.EstablishSa or AdminCommand.EstablishSaPsk or AdminCommand.DeleteAllSaDst
                    && header.HasVersionFlag && header.ErrnoOrVersion >= 1;
                var queue = subscribe ? events.Subscribe() : null;
                try
                {
                    var reply = await handle(new AdminRequest(header, payload)).ConfigureAwait(false);
                    await client.SendAsync(reply, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                    if (queue is not null && AdminHeader.Read(reply).ReplyErrno == 0)
                        await PushEventsAsync(client, queue).ConfigureAwait(false);
                }
                finally
                {
                    if (queue is not null)
                        events.Unsubscribe(queue);
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or EndOfStreamException)
            {
                logger.LogDebug("admin connection dropped: {Error}", e.Message);
            }
        }
    }

    /// <summary>Sends every published event until the daemon stops (queue completed) or racoonctl hangs up.</summary>
    private async Task PushEventsAsync(Socket client, System.Threading.Channels.Channel<byte[]> queue)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        var hangUp = WatchHangUpAsync(client, session);
        try
        {
            await foreach (var message in queue.Reader.ReadAllAsync(session.Token).ConfigureAwait(false))
                await client.SendAsync(message, SocketFlags.None, session.Token).ConfigureAwait(false);
            client.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            logger.LogDebug("event subscriber gone: {Error}", e.Message);
        }
        finally
        {
            await session.CancelAsync().ConfigureAwait(false);
            await hangUp.ConfigureAwait(false);
        }
    }

    /// <summary>racoonctl sends nothing after its request: a read returning (0 bytes or an error) means it left.</summary>
    private static async Task WatchHangUpAsync(Socket client, CancellationTokenSource session)
    {
        try
        {
            var sink = new byte[64];
            while (await client.ReceiveAsync(sink, SocketFlags.None, session.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            return;
        }
        await session.CancelAsync().ConfigureAwait(false);
    }

    private static async Task ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellation)
    {
        while (buffer.Length > 0)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellation).ConfigureAwait(false);
            if (n == 0)
                throw new EndOfStreamException("admin client closed the connection mid-request");
            buffer = buffer[n..];
        }
    }

    public void Dispose()
    {
        // Subscribers get what is queued (EVT_RACOON_QUIT at shutdown) before their connections close.
        events.Complete();
        Task[] sessions;
        lock (sessionsGate)
            sessions = [.. openSessions];
        Task.WaitAll(sessions, TimeSpan.FromSeconds(2));
        stop.Cancel();
        listener.Dispose();
        try
        {
            acceptLoop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends by cancellation; nothing to report.
        }
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // Already gone.
        }
        stop.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int chown(string path, uint owner, uint group);
}

/// <summary>One admin request: header and payload as racoonctl sent them.</summary>
internal sealed record AdminRequest(AdminHeader Header, byte[] Payload);
