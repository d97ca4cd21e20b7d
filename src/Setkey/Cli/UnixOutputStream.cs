using System.Runtime.InteropServices;
using Tmds.Linux;

namespace KernelIpsec.Setkey.Cli;

/// <summary>
/// Standard output or error written with plain <c>write(2)</c>. The console's own stream
/// (<see cref="Console.OpenStandardOutput()"/>) sets up the terminal and starts the runtime's signal thread on its
/// first write, a noticeable part of a one-shot `setkey -D`. Like the console stream, a reader that went away (EPIPE,
/// `setkey -D | head`) ends the output quietly.
/// </summary>
public sealed unsafe class UnixOutputStream(int fd) : Stream
{
    private bool readerGone;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            var p = start;
            var left = buffer.Length;
            while (left > 0 && !readerGone)
            {
                var written = (long)LibC.write(fd, p, left);
                if (written >= 0)
                {
                    p += written;
                    left -= (int)written;
                    continue;
                }
                var errno = LibC.errno;
                if (errno == LibC.EINTR)
                    continue;
                if (errno == LibC.EPIPE)
                    readerGone = true;
                else
                    throw new IOException($"write to fd {fd}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
            }
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
