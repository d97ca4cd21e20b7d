using System.Net;
using KernelIpsec.Ike.Sa;

namespace KernelIpsec.Keyd.Daemon;

/// <summary>One ISAKMP SA as `racoonctl show-sa isakmp` lists it.</summary>
public sealed record Phase1Entry(IPEndPoint Local, IPEndPoint Remote, ulong InitiatorCookie, ulong ResponderCookie, DateTimeOffset Created, Phase1Details? Details = null);

/// <summary>The established ISAKMP SAs, kept from the engine's Phase1Up/Phase1Down intents, oldest first.</summary>
public sealed class Phase1Table(TimeProvider time)
{
    private readonly List<Phase1Entry> entries = [];

    public IReadOnlyList<Phase1Entry> Entries => entries;

    public void Up(Phase1Up up)
    {
        entries.RemoveAll(e => e.InitiatorCookie == up.InitiatorCookie && e.ResponderCookie == up.ResponderCookie);
        entries.Add(new Phase1Entry(up.Local, up.Remote, up.InitiatorCookie, up.ResponderCookie, time.GetUtcNow(), up.Details));
    }

    public void Down(Phase1Down down) =>
        entries.RemoveAll(e => e.InitiatorCookie == down.InitiatorCookie && e.ResponderCookie == down.ResponderCookie);

    public void Clear() => entries.Clear();
}
