using System.Net;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Sa;

namespace KernelIpsec.Ike.Exchanges;

/// <summary>
/// What one step of an exchange wants done, in order: the value an exchange's entry points return to the engine.
/// When a step fails half way, what it already did (a datagram sent before the failure) travels with the
/// <see cref="ExchangeException"/> (<see cref="Run"/>), so the engine carries it out as before.
/// </summary>
internal sealed class Outbox
{
    private readonly List<EngineIntent> intents = [];

    public IReadOnlyList<EngineIntent> Intents => intents;

    public void Add(EngineIntent intent) => intents.Add(intent);

    public void Send(IPEndPoint local, IPEndPoint remote, byte[] datagram, int copies = 1)
    {
        for (var i = 0; i < copies; i++)
        {
            intents.Add(new SendDatagram(local, remote, datagram));
        }
    }

    /// <summary>Runs one step with a fresh outbox and returns what it produced.</summary>
    public static IReadOnlyList<EngineIntent> Run(Action<Outbox> step)
    {
        var outbox = new Outbox();
        try
        {
            step(outbox);
        }
        catch (ExchangeException e)
        {
            e.Done = outbox.Intents;
            throw;
        }
        return outbox.Intents;
    }
}
