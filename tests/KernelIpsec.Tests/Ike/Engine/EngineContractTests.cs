using System.Net;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Tests.Ike.Exchanges;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Engine;

/// <summary>What the daemon relies on: the order and shape of intents, timers re-armed after each tick.</summary>
[TestFixture, Category(Tier.Unit)]
public class EngineContractTests
{
    [Test]
    public void An_acquire_sends_main_mode_1_and_arms_the_resend_timer()
    {
        var scenario = new Scenario();
        using var pair = scenario.CreatePair();
        var now = pair.Clock.GetUtcNow();

        var intents = pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true));

        Assert.That(intents, Has.Count.EqualTo(2));
        var send = (SendDatagram)intents[0];
        Assert.That(send.Local, Is.EqualTo(new IPEndPoint(Scenario.LeftAddress, 500)));
        Assert.That(send.Remote, Is.EqualTo(new IPEndPoint(Scenario.RightAddress, 500)));
        Assert.That(send.Datagram[18], Is.EqualTo(2), "exchange type Identity Protection");
        Assert.That(intents[1], Is.EqualTo(new ArmTimer(now + TimeSpan.FromSeconds(10))), "racoon's default interval");
    }

    [Test]
    public void A_timer_tick_resends_and_arms_the_next_tick_even_when_nothing_else_changed()
    {
        var scenario = new Scenario();
        using var pair = scenario.CreatePair();
        var first = (SendDatagram)pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true))[0];
        var now = pair.Clock.GetUtcNow();

        pair.Clock.Advance(TimeSpan.FromSeconds(10));
        var intents = pair.Left.Engine.HandleTimer(pair.Clock.GetUtcNow());

        Assert.That(intents.OfType<SendDatagram>().Single().Datagram, Is.EqualTo(first.Datagram), "a resend is byte-identical");
        Assert.That(intents.OfType<ArmTimer>().Single().Due, Is.EqualTo(now + TimeSpan.FromSeconds(20)));
    }

    [Test]
    public void Garbage_and_unknown_spi_answers_produce_no_intents()
    {
        var scenario = new Scenario();
        using var pair = scenario.CreatePair();

        Assert.That(pair.Right.Engine.HandleDatagram(pair.Right.Endpoint, pair.Left.Endpoint, [1, 2, 3]), Is.Empty);
        Assert.That(pair.Right.Engine.HandleSpiAllocated(new SpiAllocation(999, 0x1234)), Is.Empty);
        Assert.That(pair.Right.Log.Contains("ERROR: invalid ISAKMP packet from 10.77.0.1[500]"), pair.Right.Log.ToString());
    }
}
