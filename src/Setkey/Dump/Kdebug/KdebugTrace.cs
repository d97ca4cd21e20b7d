using KernelIpsec.Netlink;

namespace KernelIpsec.Setkey.Dump.Kdebug;

/// <summary>
/// What <c>-v</c> and <c>-H</c> print around each kernel request, as setkey's <c>sendkeymsg()</c> does: with -v
/// the request in <see cref="KdebugFormatter"/> form and an empty line, with -H its bytes (<see cref="HexDump"/>);
/// then, with -v, each answer the same way.
/// </summary>
public sealed class KdebugTrace(TextWriter output, bool verbose, bool hexDump)
{
    public bool Enabled => verbose || hexDump;

    /// <summary>
    /// The kernel to run commands on with this trace: over PF_KEY the real messages are shown as they pass, over
    /// any other backend the PF_KEY messages each operation corresponds to (<see cref="SadbTracingKernel"/>).
    /// </summary>
    public IKernelIpsec Attach(IKernelIpsec kernel, uint pid)
    {
        if (!Enabled)
            return kernel;
        if (kernel.Capabilities.PfKeyTraffic)
        {
            kernel.ObservePfKeyTraffic((message, sent) =>
            {
                if (sent)
                    Sent(message);
                else
                    Received(message);
            });
            return kernel;
        }

        return new SadbTracingKernel(kernel, this, pid);
    }

    public void Sent(ReadOnlySpan<byte> message)
    {
        if (verbose)
            output.Write(KdebugFormatter.Format(message) + "\n");
        if (hexDump)
            output.Write(HexDump.Format(message));
    }

    public void Received(ReadOnlySpan<byte> message)
    {
        if (verbose)
            output.Write(KdebugFormatter.Format(message) + "\n");
    }

    /// <summary>A request PF_KEY has no message for (over XFRM only): said in place of the message.</summary>
    public void NotExpressible(string reason)
    {
        if (Enabled)
            output.Write($"(no PF_KEY message for this request: {reason})\n\n");
    }
}
