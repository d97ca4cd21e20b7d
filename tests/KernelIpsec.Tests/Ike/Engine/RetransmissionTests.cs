using KernelIpsec.Ike.Engine;
using KernelIpsec.Ike.Exchanges;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Engine;

[TestFixture, Category(Tier.Unit)]
public class RetransmissionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Resends_counter_times_interval_apart_with_persend_copies_then_is_exhausted()
    {
        var settings = new RetransmitSettings(Counter: 3, Interval: TimeSpan.FromSeconds(10), PerSend: 2,
            Phase1Timeout: TimeSpan.FromSeconds(60), Phase2Timeout: TimeSpan.FromSeconds(60));
        var r = new Retransmission(settings, [1, 2, 3], T0);

        Assert.That(r.Fire(T0 + TimeSpan.FromSeconds(9)), Is.EqualTo(0), "not due before the interval");
        Assert.That(r.Fire(T0 + TimeSpan.FromSeconds(10)), Is.EqualTo(2));
        Assert.That(r.NextDue, Is.EqualTo(T0 + TimeSpan.FromSeconds(20)));
        Assert.That(r.Fire(T0 + TimeSpan.FromSeconds(20)), Is.EqualTo(2));
        Assert.That(r.Fire(T0 + TimeSpan.FromSeconds(30)), Is.EqualTo(2));
        Assert.That(r.Exhausted, Is.True);
        Assert.That(r.Fire(T0 + TimeSpan.FromSeconds(40)), Is.EqualTo(0));
        Assert.That(r.Resends, Is.EqualTo(3));
    }

    [Test]
    public void Received_packet_cache_returns_the_answer_for_a_resent_datagram_until_it_expires()
    {
        var cache = new ReceivedPacketCache(TimeSpan.FromSeconds(50));
        byte[] datagram = [9, 9, 9];
        var fp = ReceivedPacketCache.Fingerprint(datagram);
        Assert.That(cache.TryGet(fp, T0, out _, out _), Is.False);

        cache.Remember(fp, null, T0);
        cache.SetAnswer(fp, [7]);
        Assert.That(cache.TryGet(fp, T0 + TimeSpan.FromSeconds(10), out var answer, out var seen), Is.True);
        Assert.That(answer, Is.EqualTo(new byte[] { 7 }));
        Assert.That(seen, Is.EqualTo(1));
        Assert.That(cache.TryGet(ReceivedPacketCache.Fingerprint([9, 9]), T0, out _, out _), Is.False, "other bytes are not a resend");
        Assert.That(cache.TryGet(fp, T0 + TimeSpan.FromSeconds(51), out _, out _), Is.False, "expired");
    }

    [Test]
    public void Racoon_text_formats_match_racoon_log_lines()
    {
        Assert.That(RacoonText.Endpoint(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("10.77.0.1"), 500)), Is.EqualTo("10.77.0.1[500]"));
        Assert.That(RacoonText.Index(0x8d3b1a2f9d6c11e0, 0xa1b2c3d4e5f60718), Is.EqualTo("8d3b1a2f9d6c11e0:a1b2c3d4e5f60718"));
        Assert.That(RacoonText.Index(1, 2, 0x2a), Is.EqualTo("0000000000000001:0000000000000002:0000002a"));
        Assert.That(RacoonText.IpsecSa(IpsecSaProtocol.Esp, IpsecSaMode.Transport,
                System.Net.IPAddress.Parse("10.77.0.2"), System.Net.IPAddress.Parse("10.77.0.1"), 123456),
            Is.EqualTo("ESP/Transport 10.77.0.2[0]->10.77.0.1[0] spi=123456(0x1e240)"));
    }
}
