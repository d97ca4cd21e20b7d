using System.Net.Sockets;

namespace KernelIpsec.Keyd.AdminProtocol;

/// <summary>racoonctl's side of the admin socket: connect, send one request, read the reply (or, for show-event, every message until racoon closes).</summary>
internal static class AdminClient
{
    public static byte[] Exchange(string socketPath, byte[] request, TimeSpan? timeout = null)
    {
        using var socket = Connect(socketPath, request, timeout ?? TimeSpan.FromSeconds(60));
        return ReadMessage(socket) ?? throw new EndOfStreamException("racoon closed the admin connection before the reply was complete");
    }

    /// <summary>The reply and then every pushed message, as they arrive, until racoon closes the connection; no time limit.</summary>
    public static IEnumerable<byte[]> Stream(string socketPath, byte[] request)
    {
        using var socket = Connect(socketPath, request, null);
        while (ReadMessage(socket) is { } message)
            yield return message;
    }

    private static Socket Connect(string socketPath, byte[] request, TimeSpan? timeout)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            if (timeout is { } limit)
            {
                socket.ReceiveTimeout = (int)limit.TotalMilliseconds;
                socket.SendTimeout = (int)limit.TotalMilliseconds;
            }
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            socket.Send(request);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>One whole message; null when the connection ends cleanly before its first byte.</summary>
    private static byte[]? ReadMessage(Socket socket)
    {
        var header = new byte[AdminHeader.Size];
        var first = socket.Receive(header);
        if (first == 0)
            return null;
        ReadExactly(socket, header.AsSpan(first));
        var length = AdminHeader.Read(header).ReplyLength;
        if (length < AdminHeader.Size)
            throw new FormatException($"admin reply claims {length} bytes, less than its header");
        var message = new byte[length];
        header.CopyTo(message, 0);
        ReadExactly(socket, message.AsSpan(AdminHeader.Size));
        return message;
    }

    private static void ReadExactly(Socket socket, Span<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            var n = socket.Receive(buffer);
            if (n == 0)
                throw new EndOfStreamException("racoon closed the admin connection before the reply was complete");
            buffer = buffer[n..];
        }
    }
}
