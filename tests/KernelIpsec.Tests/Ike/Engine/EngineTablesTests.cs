using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Crypto.DiffieHellman;
using KernelIpsec.Ike.Engine;
using KernelIpsec.Ike.Exchanges;
using KernelIpsec.Ike.Exchanges.Phase1;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Tests.Ike.Exchanges;
using KernelIpsec.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Engine;

/// <summary>The engine's indexes: what a datagram, an EXPIRE, a DELETE and the timer find, without scanning.</summary>
[TestFixture, Category(Tier.Unit)]
public class EngineTablesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly IPEndPoint Local = new(IPAddress.Parse("10.77.0.1"), 500);
    private static readonly IPEndPoint PeerA = new(IPAddress.Parse("10.77.0.2"), 500);
    private static readonly IPEndPoint PeerB = new(IPAddress.Parse("10.77.0.3"), 500);

    private readonly ExchangeServices services = new()
    {
        Config = new RacoonConfig(),
        PreSharedKeys = PreSharedKeyTable.Parse(""),
        Certificates = EnginePair.NoCertificates.Instance,
        Policies = new ListPolicyLookup(),
        Groups = DhGroups.CreateDefault(),
        Random = new SystemIkeRandom(),
        Log = NullLogger.Instance,
        Timers = RetransmitSettings.RacoonDefaults,
    };

    private IsakmpSaEntry Entry(IsakmpSaTable table, bool initiator, IPEndPoint peer, ulong ci, ulong cr)
    {
        var remote = new Scenario().ConfigFor(left: true).Remotes[0];
        var sa = new IsakmpSa(initiator, ExchangeMode.Main, Local, peer, remote, ci) { ResponderCookie = cr };
        return new IsakmpSaEntry(sa, new MainMode(sa, services), table.NextSequence(), T0);
    }

    [Test]
    public void An_initiated_sa_is_found_by_its_cookie_alone_from_its_peer_until_it_learns_the_responder_cookie()
    {
        var table = new IsakmpSaTable();
        var entry = Entry(table, initiator: true, PeerA, 0x1111, 0);
        table.Add(entry);

        Assert.That(table.Find(0x1111, 0x2222, PeerA), Is.SameAs(entry), "the first answer names the responder's cookie");
        Assert.That(table.Find(0x1111, 0x2222, PeerB), Is.Null, "another address cannot claim it");

        table.SetResponderCookie(entry, 0x2222);
        Assert.That(table.Find(0x1111, 0x2222), Is.SameAs(entry));
        Assert.That(table.Find(0x1111, 0x3333, PeerA), Is.Null, "once learned, another responder cookie is another SA");

        table.SetResponderCookie(entry, 0);
        Assert.That(table.Find(0x1111, 0x3333, PeerA), Is.SameAs(entry), "forgotten again after a bad answer");
    }

    [Test]
    public void Sas_are_listed_by_peer_and_in_all_in_creation_order_and_leave_every_index_on_removal()
    {
        var table = new IsakmpSaTable();
        var first = Entry(table, initiator: false, PeerA, 0x10, 0x20);
        var other = Entry(table, initiator: false, PeerB, 0x30, 0x40);
        var second = Entry(table, initiator: false, PeerA, 0x50, 0x60);
        table.Add(second);
        table.Add(other);
        table.Add(first);

        Assert.That(table.WithPeer(PeerA.Address), Is.EqualTo(new[] { second, first }), "by peer: in the order added");
        Assert.That(table.All(), Is.EqualTo(new[] { first, other, second }), "all: in the order created");

        table.Remove(first);
        Assert.That(table.Find(0x10, 0x20), Is.Null);
        Assert.That(table.WithPeer(PeerA.Address), Is.EqualTo(new[] { second }));
        Assert.That(table.Count, Is.EqualTo(2));
    }

    [Test]
    public void Installed_pairs_are_found_by_either_spi_by_peer_and_by_policy()
    {
        var table = new InstalledSaTable();
        var phase1 = new IsakmpSa(true, ExchangeMode.Main, Local, PeerA, new Scenario().ConfigFor(left: true).Remotes[0], 1);
        var policy = new Scenario().PolicyFor(left: true);
        var keys = new SaKeys([], []);
        var pair = new IpsecSaPair(IpsecSaProtocol.Esp, IpsecSaMode.Transport, Local.Address, PeerA.Address, 0x1000, 0x2000, 3, 192, 2,
            keys, keys, new IpsecLifetime(3600, 0), 0, policy.Local, policy.Remote);
        var entry = table.Add(new InstalledSa(pair, phase1, true, policy, new SainfoConfig(), null));

        Assert.That(table.FindBySpi(IpsecSaProtocol.Esp, 0x1000, Local.Address), Is.SameAs(entry), "our inbound SA, destination us");
        Assert.That(table.FindBySpi(IpsecSaProtocol.Esp, 0x2000, PeerA.Address), Is.SameAs(entry), "our outbound SA, destination the peer");
        Assert.That(table.FindBySpi(IpsecSaProtocol.Ah, 0x1000, Local.Address), Is.Null, "another protocol");
        Assert.That(table.FindOutbound(IpsecSaProtocol.Esp, 0x2000, PeerA.Address), Is.SameAs(entry));
        Assert.That(table.FindOutbound(IpsecSaProtocol.Esp, 0x1000, PeerA.Address), Is.Null, "the peer deletes by its inbound SPI (our outbound)");
        Assert.That(table.WithPeer(PeerA.Address), Is.EqualTo(new[] { entry }));
        Assert.That(table.ForPolicy(policy), Is.EqualTo(new[] { entry }));

        table.Remove(entry);
        Assert.That(table.FindBySpi(IpsecSaProtocol.Esp, 0x1000, Local.Address), Is.Null);
        Assert.That(table.WithPeer(PeerA.Address), Is.Empty);
        Assert.That(table.All(), Is.Empty);
    }

    [Test]
    public void The_deadline_queue_gives_the_earliest_live_deadline_and_skips_moved_and_removed_owners()
    {
        var due = new Dictionary<string, DateTimeOffset?>();
        var queue = new DeadlineQueue<string>(owner => due.GetValueOrDefault(owner));
        void Schedule(string owner, DateTimeOffset at)
        {
            due[owner] = at;
            queue.Enqueue(owner, at);
        }
        Schedule("a", T0.AddSeconds(30));
        Schedule("b", T0.AddSeconds(10));
        Schedule("c", T0.AddSeconds(20));
        Schedule("b", T0.AddSeconds(40)); // b moved: its element at +10 is stale
        due["c"] = null;                  // c left the queue

        Assert.That(queue.Peek(), Is.EqualTo(T0.AddSeconds(30)));
        Assert.That(queue.TryDequeueDue(T0.AddSeconds(29), out _), Is.False, "nothing due yet");
        Assert.That(queue.TryDequeueDue(T0.AddSeconds(45), out var first) && first == "a", Is.True);
        Assert.That(queue.TryDequeueDue(T0.AddSeconds(45), out var second) && second == "b", Is.True);
        Assert.That(queue.TryDequeueDue(T0.AddSeconds(45), out _), Is.False);
    }

    [Test]
    public void A_full_received_packet_cache_forgets_the_oldest_datagram_first()
    {
        var cache = new ReceivedPacketCache(TimeSpan.FromHours(1));
        var fingerprints = Enumerable.Range(0, 4097).Select(i => ReceivedPacketCache.Fingerprint(BitConverter.GetBytes(i))).ToList();
        for (var i = 0; i < fingerprints.Count; i++)
        {
            cache.Remember(fingerprints[i], null, T0.AddMilliseconds(i));
        }

        var now = T0.AddSeconds(10);
        Assert.That(cache.TryGet(fingerprints[0], now, out _, out _), Is.False, "the oldest made room");
        Assert.That(cache.TryGet(fingerprints[1], now, out _, out _), Is.True);
        Assert.That(cache.TryGet(fingerprints[4096], now, out _, out _), Is.True);
    }
}
