using KernelIpsec.Fuzz.Engines;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Fuzz.Targets;

/// <summary>
/// A datagram on UDP 500: the ISAKMP header and payload chain reader (every payload's reader and its log text),
/// then the same bytes into a fresh responder engine, as the daemon hands them over.
/// </summary>
public sealed class IsakmpMessageTarget : IFuzzTarget
{
    public string Name => "isakmp";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (IsakmpMessage.Read(input).TryGetValue(out var message, out var error))
        {
            if (message.Payloads is { } chain)
            {
                for (var i = 0; i < chain.Count; i++)
                {
                    _ = chain[i].Payload.ToString();
                }
            }
        }
        else
        {
            _ = error.ToString();
        }

        using var responder = new EngineSide(left: false);
        responder.Deliver(input);
    }
}
