using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Crypto.DiffieHellman;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Tests.Ike.Engine;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Exchanges;

/// <summary>
/// Two engines wired back to back (strongSwan's exchange_test_helper): datagrams one engine sends are delivered to
/// the other, SPI requests are answered at once, timers fire when the test advances the shared clock. A filter may
/// drop, replay or alter any datagram in flight.
/// </summary>
internal sealed class EnginePair : IDisposable
{
    private static readonly DhGroups Groups = DhGroups.CreateDefault();
    private readonly Queue<(EnginePeer To, SendDatagram Datagram)> wire = new();

    public EnginePair(RacoonConfig leftConfig, RacoonConfig rightConfig, IPreSharedKeyStore leftPsk, IPreSharedKeyStore rightPsk,
        ICertificateVerifier? leftCerts = null, ICertificateVerifier? rightCerts = null, IPAddress? left = null, IPAddress? right = null,
        IXauthAuthenticator? leftXauth = null, IXauthAuthenticator? rightXauth = null)
    {
        Clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        Left = new EnginePeer("left", left ?? IPAddress.Parse("10.77.0.1"), leftConfig, leftPsk, leftCerts ?? NoCertificates.Instance, new ListPolicyLookup(), Groups, Clock, 0x1000, leftXauth);
        Right = new EnginePeer("right", right ?? IPAddress.Parse("10.77.0.2"), rightConfig, rightPsk, rightCerts ?? NoCertificates.Instance, new ListPolicyLookup(), Groups, Clock, 0x2000, rightXauth);
    }

    public ManualTimeProvider Clock { get; }
    public EnginePeer Left { get; }
    public EnginePeer Right { get; }

    /// <summary>Decides the fate of the n-th datagram sent by either side (counting from 1, resends included): deliver (possibly changed) or drop (null).</summary>
    public Func<int, EnginePeer, byte[], byte[]?>? Filter { get; set; }

    /// <summary>Every datagram that reached the wire, in order, with its sender.</summary>
    public List<(EnginePeer From, byte[] Bytes)> Sent { get; } = [];

    public EnginePeer Other(EnginePeer p) => p == Left ? Right : Left;

    /// <summary>Apply intents of <paramref name="from"/>, then deliver until the wire is quiet.</summary>
    public void Run(EnginePeer from, IReadOnlyList<EngineIntent> intents)
    {
        Apply(from, intents);
        Pump();
    }

    public void Pump()
    {
        var guard = 0;
        while (wire.TryDequeue(out var item))
        {
            if (++guard > 1000)
            {
                throw new InvalidOperationException("the engines keep talking: more than 1000 datagrams");
            }
            var to = item.To;
            Apply(to, to.Engine.HandleDatagram(to.Endpoint, item.Datagram.Local, item.Datagram.Datagram));
        }
    }

    /// <summary>Moves the clock to the earliest armed timer (at most <paramref name="limit"/> ahead) and fires it.</summary>
    public bool FireNextTimer(TimeSpan limit)
    {
        var due = new[] { Left.TimerDue, Right.TimerDue }.Where(d => d is not null).Select(d => d!.Value).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        var now = Clock.GetUtcNow();
        if (due == DateTimeOffset.MaxValue || due > now + limit)
        {
            return false;
        }
        if (due > now)
        {
            Clock.Advance(due - now);
        }
        foreach (var p in new[] { Left, Right })
        {
            if (p.TimerDue is { } d && d <= Clock.GetUtcNow())
            {
                p.TimerDue = null;
                Apply(p, p.Engine.HandleTimer(Clock.GetUtcNow()));
            }
        }
        Pump();
        return true;
    }

    /// <summary>Runs timers until nothing is armed within <paramref name="horizon"/>.</summary>
    public void RunTimers(TimeSpan horizon)
    {
        var end = Clock.GetUtcNow() + horizon;
        while (FireNextTimer(end - Clock.GetUtcNow()))
        {
        }
    }

    private int sentCount;

    /// <summary>How many datagrams the engines sent, dropped ones included.</summary>
    public int SentCount => sentCount;

    private void Apply(EnginePeer side, IReadOnlyList<EngineIntent> intents)
    {
        // The kernel answers SPI requests after the daemon carried out the whole list, as a real netlink reply would.
        var allocations = new List<AllocateSpi>();
        foreach (var intent in intents)
        {
            switch (intent)
            {
                case SendDatagram d:
                    Assert.That(d.Local, Is.EqualTo(side.Endpoint), $"{side} sends from its own address");
                    var n = ++sentCount;
                    var bytes = Filter is null ? d.Datagram : Filter(n, side, d.Datagram);
                    if (bytes is not null)
                    {
                        Sent.Add((side, bytes));
                        wire.Enqueue((Other(side), d with { Datagram = bytes }));
                    }
                    break;
                case AllocateSpi a:
                    allocations.Add(a);
                    break;
                case InstallSaPair i:
                    side.Installed.Add(i.Pair);
                    break;
                case DeleteIpsecSa del:
                    side.Deleted.Add(del);
                    break;
                case ArmTimer t:
                    side.TimerDue = t.Due;
                    break;
                case NegotiationFailed f:
                    side.Failures.Add(f);
                    break;
                case Phase1Up up:
                    side.Phase1Ups.Add(up);
                    break;
                case Phase1Down down:
                    side.Phase1Downs.Add(down);
                    break;
                case InstallPolicy or DeletePolicy:
                    side.PolicyChanges.Add(intent);
                    break;
            }
        }
        foreach (var a in allocations)
        {
            Apply(side, side.Engine.HandleSpiAllocated(side.Allocate(a)));
        }
    }

    /// <summary>Replays a datagram that was on the wire to the other side of its sender.</summary>
    public void Replay(int index)
    {
        var (from, bytes) = Sent[index];
        var to = Other(from);
        Apply(to, to.Engine.HandleDatagram(to.Endpoint, from.Endpoint, bytes));
        Pump();
    }

    public void Dispose()
    {
        Left.Dispose();
        Right.Dispose();
    }

    internal sealed class NoCertificates : ICertificateVerifier
    {
        public static readonly NoCertificates Instance = new();

        public System.Security.Cryptography.X509Certificates.X509Certificate2? OwnCertificate(RemoteConfig remote) => null;

        public string? Verify(RemoteConfig remote, System.Security.Cryptography.X509Certificates.X509Certificate2 peer,
            IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> extra) => "no CA configured";
    }
}
