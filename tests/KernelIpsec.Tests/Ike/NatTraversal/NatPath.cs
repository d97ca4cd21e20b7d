using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Crypto.DiffieHellman;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Tests.Ike.Engine;
using KernelIpsec.Tests.Ike.Exchanges;

namespace KernelIpsec.Tests.Ike.NatTraversal;

/// <summary>
/// Two engines with a masquerading NAT between them, as the Vm rig's natbox: left has the private 10.77.3.1 and is
/// seen by right as 10.77.0.3; the NAT keeps a mapping per private endpoint (the source port kept, unless a test
/// changes <see cref="PublicPortFor"/>) and drops what arrives for no mapping, as a home router does.
/// </summary>
internal sealed class NatPath : IDisposable
{
    public static readonly IPAddress Private = IPAddress.Parse("10.77.3.1");
    public static readonly IPAddress Public = IPAddress.Parse("10.77.0.3");
    public static readonly IPAddress Server = IPAddress.Parse("10.77.0.2");

    private static readonly DhGroups Groups = DhGroups.CreateDefault();
    private readonly Queue<(EnginePeer To, IPEndPoint Local, IPEndPoint Remote, byte[] Bytes)> wire = new();
    private readonly Dictionary<IPEndPoint, int> outbound = [];
    private readonly Dictionary<int, IPEndPoint> inbound = [];

    /// <summary>With <paramref name="translate"/> false the path is a plain wire (left seen as itself), for the no-NAT cases.</summary>
    public NatPath(RacoonConfig leftConfig, RacoonConfig rightConfig, IPreSharedKeyStore leftPsk, IPreSharedKeyStore rightPsk, bool translate = true)
    {
        PublicAddress = translate ? Public : Private;
        Clock = new ManualTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        Left = new EnginePeer("left", Private, leftConfig, leftPsk, EnginePair.NoCertificates.Instance, new ListPolicyLookup(), Groups, Clock, 0x1000);
        clients.Add(Left);
        Right = new EnginePeer("right", Server, rightConfig, rightPsk, EnginePair.NoCertificates.Instance, new ListPolicyLookup(), Groups, Clock, 0x2000);
    }

    private readonly List<EnginePeer> clients = [];

    public ManualTimeProvider Clock { get; }

    /// <summary>Another host behind the same NAT (its own private address, its own SPI range).</summary>
    public EnginePeer AddClient(IPAddress privateAddress, RacoonConfig config, IPreSharedKeyStore psk)
    {
        var client = new EnginePeer($"left{clients.Count + 1}", privateAddress, config, psk, EnginePair.NoCertificates.Instance, new ListPolicyLookup(), Groups, Clock,
            (uint)(0x1000 + (0x100 * clients.Count)));
        clients.Add(client);
        return client;
    }

    /// <summary>What right sees as left's address.</summary>
    public IPAddress PublicAddress { get; }
    public EnginePeer Left { get; }
    public EnginePeer Right { get; }

    /// <summary>The public port the NAT gives a new mapping of a private port (default: the same port).</summary>
    public Func<int, int> PublicPortFor { get; set; } = port => port;

    /// <summary>Every datagram in flight, after translation: sender, the ends as the receiver sees them, the bytes.</summary>
    public List<(EnginePeer From, IPEndPoint Source, IPEndPoint Destination, byte[] Bytes)> Wire { get; } = [];

    /// <summary>Changes (or drops, with null) a datagram before the NAT sees it.</summary>
    public Func<EnginePeer, byte[], byte[]?>? Filter { get; set; }

    public List<SendNatKeepalive> Keepalives { get; } = [];
    public List<(EnginePeer Side, UpdateSaPair Update)> Updates { get; } = [];
    public int DroppedAtNat { get; private set; }

    /// <summary>The NAT forgets every mapping (conntrack flushed).</summary>
    public void Flush()
    {
        outbound.Clear();
        inbound.Clear();
    }

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
            Apply(item.To, item.To.Engine.HandleDatagram(item.Local, item.Remote, item.Bytes));
        }
    }

    /// <summary>Fires both engines' timers up to <paramref name="horizon"/> from now, in time order.</summary>
    public void RunTimers(TimeSpan horizon)
    {
        var end = Clock.GetUtcNow() + horizon;
        while (true)
        {
            var due = clients.Append(Right).Select(p => p.TimerDue).Where(d => d is not null).Select(d => d!.Value).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
            if (due > end)
            {
                break;
            }
            if (due > Clock.GetUtcNow())
            {
                Clock.Advance(due - Clock.GetUtcNow());
            }
            foreach (var p in clients.Append(Right).ToList())
            {
                if (p.TimerDue is { } d && d <= Clock.GetUtcNow())
                {
                    p.TimerDue = null;
                    Apply(p, p.Engine.HandleTimer(Clock.GetUtcNow()));
                }
            }
            Pump();
        }
        if (end > Clock.GetUtcNow())
        {
            Clock.Advance(end - Clock.GetUtcNow());
        }
    }

    /// <summary>A private endpoint as the NAT shows it (a new mapping if it has none; the port kept while free, as Linux does).</summary>
    public IPEndPoint Translate(IPEndPoint source)
    {
        if (!outbound.TryGetValue(source, out var port))
        {
            port = PublicPortFor(source.Port);
            while (inbound.ContainsKey(port))
            {
                port++;
            }
            outbound[source] = port;
            inbound[port] = source;
        }
        return new IPEndPoint(PublicAddress, port);
    }

    private void Apply(EnginePeer side, IReadOnlyList<EngineIntent> intents)
    {
        var allocations = new List<AllocateSpi>();
        foreach (var intent in intents)
        {
            switch (intent)
            {
                case SendDatagram d:
                    Send(side, d.Local, d.Remote, d.Datagram);
                    break;
                case SendNatKeepalive k:
                    Keepalives.Add(k);
                    if (side != Right)
                    {
                        Translate(k.Local);
                    }
                    break;
                case AllocateSpi a:
                    allocations.Add(a);
                    break;
                case InstallSaPair i:
                    side.Installed.Add(i.Pair);
                    break;
                case UpdateSaPair u:
                    Updates.Add((side, u));
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
            }
        }
        foreach (var a in allocations)
        {
            Apply(side, side.Engine.HandleSpiAllocated(side.Allocate(a)));
        }
    }

    private void Send(EnginePeer side, IPEndPoint local, IPEndPoint remote, byte[] original)
    {
        if ((Filter is null ? original : Filter(side, original)) is not { } bytes)
        {
            return;
        }
        if (side != Right)
        {
            if (!local.Address.Equals(side.Address) || !remote.Address.Equals(Server))
            {
                throw new InvalidOperationException($"left sent from {local} to {remote}");
            }
            var source = Translate(local);
            Wire.Add((side, source, remote, bytes));
            wire.Enqueue((Right, remote, source, bytes));
            return;
        }
        if (!local.Address.Equals(Server) || !remote.Address.Equals(PublicAddress))
        {
            throw new InvalidOperationException($"right sent from {local} to {remote}");
        }
        if (!inbound.TryGetValue(remote.Port, out var target))
        {
            DroppedAtNat++;
            return;
        }
        Wire.Add((side, local, target, bytes));
        wire.Enqueue((clients.Single(c => c.Address.Equals(target.Address)), target, local, bytes));
    }

    public void Dispose()
    {
        foreach (var client in clients.Skip(1))
        {
            client.Dispose();
        }
        Left.Dispose();
        Right.Dispose();
    }
}
