using System.Net.Sockets;

namespace KernelIpsec.Keyd.AdminProtocol;

/// <summary>racoonctl's side of the admin socket: connect, send one request, read the whole reply.</summary>
internal static class AdminClient
{
    public static byte[] Exchange(string socketPath, byte[] request, TimeSpan? timeout = null)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        var limit = (int)(timeout ?? TimeSpan.FromSeconds(60)).TotalMilliseconds;
        socket.ReceiveTimeout = limit;
        socket.SendTimeout = limit;
        socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        socket.Send(request);
        var header = ReadExactly(socket, AdminHeader.Size);
        var length = AdminHeader.Read(header).ReplyLength;
        if (length < AdminHeader.Size)
            throw new FormatException($"admin reply claims {length} bytes, less than its header");
        var reply = new byte[length];
        header.CopyTo(reply, 0);
        ReadExactly(socket, reply.AsSpan(AdminHeader.Size));
        return reply;
    }

    private static byte[] ReadExactly(Socket socket, int count)
    {
        var buffer = new byte[count];
        ReadExactly(socket, buffer);
        return buffer;
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
