using KernelIpsec.Ike.Sa;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Exchanges;

/// <summary>
/// Loss, truncation, tampering and replay of each of the nine datagrams of main mode + quick mode
/// (1-6 main mode, 7-9 quick mode): the damaged copy changes nothing and retransmission completes the negotiation.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class RobustnessTests
{
    private static readonly string[] Names = ["", "MM1", "MM2", "MM3", "MM4", "MM5", "MM6", "QM1", "QM2", "QM3"];

    private static void Negotiate(Scenario scenario, Func<int, EnginePeer, byte[], byte[]?> filter, out EnginePair pair)
    {
        pair = scenario.CreatePair();
        pair.Filter = filter;
        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));
        pair.RunTimers(TimeSpan.FromMinutes(2));
    }

    [TestCase(1), TestCase(2), TestCase(3), TestCase(4), TestCase(5), TestCase(6), TestCase(7), TestCase(8), TestCase(9)]
    public void A_lost_datagram_is_retransmitted_and_the_sas_come_up(int lost)
    {
        Negotiate(new Scenario(), (n, _, bytes) => n == lost ? null : bytes, out var pair);
        using (pair)
        {
            Assert.That(pair.Left.Failures.Concat(pair.Right.Failures), Is.Empty, $"{Names[lost]} lost\n{pair.Left.Log}\n{pair.Right.Log}");
            MainModePskTests.AssertMatchingSas(pair, IpsecSaProtocol.Esp, IpsecSaMode.Transport, 3, 192, 2);
            Assert.That(pair.SentCount, Is.GreaterThan(9), "something was sent again");
        }
    }

    [TestCase(1), TestCase(2), TestCase(3), TestCase(4), TestCase(5), TestCase(6), TestCase(7), TestCase(8), TestCase(9)]
    public void A_truncated_datagram_is_dropped_and_the_resend_completes(int damaged)
    {
        Negotiate(new Scenario(), (n, _, bytes) => n == damaged ? bytes[..^4] : bytes, out var pair);
        using (pair)
        {
            Assert.That(pair.Left.Failures.Concat(pair.Right.Failures), Is.Empty, $"{Names[damaged]} truncated\n{pair.Left.Log}\n{pair.Right.Log}");
            MainModePskTests.AssertMatchingSas(pair, IpsecSaProtocol.Esp, IpsecSaMode.Transport, 3, 192, 2);
            var receiver = damaged % 2 == 1 ? pair.Right : pair.Left;
            Assert.That(receiver.Log.Contains("ERROR: packet length mismatch"), receiver.Log.ToString());
        }
    }

    /// <summary>Encrypted messages: a flipped ciphertext bit makes the message fail to decrypt or verify; the IV chain is not advanced.</summary>
    [TestCase(5), TestCase(6), TestCase(7), TestCase(8), TestCase(9)]
    public void A_tampered_encrypted_datagram_changes_nothing_and_the_resend_completes(int damaged)
    {
        Negotiate(new Scenario(), (n, _, bytes) =>
        {
            if (n != damaged)
            {
                return bytes;
            }
            var copy = (byte[])bytes.Clone();
            copy[40] ^= 0x5a;
            return copy;
        }, out var pair);
        using (pair)
        {
            Assert.That(pair.Left.Failures.Concat(pair.Right.Failures), Is.Empty, $"{Names[damaged]} tampered\n{pair.Left.Log}\n{pair.Right.Log}");
            MainModePskTests.AssertMatchingSas(pair, IpsecSaProtocol.Esp, IpsecSaMode.Transport, 3, 192, 2);
            var receiver = damaged % 2 == 1 ? pair.Right : pair.Left;
            Assert.That(receiver.Log.Lines.Count(l => l.StartsWith("ERROR:", StringComparison.Ordinal)), Is.GreaterThan(0), receiver.Log.ToString());
        }
    }

    /// <summary>A wrong cookie names no SA: dropped, resend completes ("cookies checked").</summary>
    [TestCase(3), TestCase(5), TestCase(7)]
    public void A_datagram_with_a_foreign_cookie_is_ignored(int damaged)
    {
        Negotiate(new Scenario(), (n, _, bytes) =>
        {
            if (n != damaged)
            {
                return bytes;
            }
            var copy = (byte[])bytes.Clone();
            copy[12] ^= 0xff;
            return copy;
        }, out var pair);
        using (pair)
        {
            Assert.That(pair.Right.Log.Contains("ERROR: unknown ISAKMP-SA"), pair.Right.Log.ToString());
            MainModePskTests.AssertMatchingSas(pair, IpsecSaProtocol.Esp, IpsecSaMode.Transport, 3, 192, 2);
        }
    }

    [Test]
    public void Every_datagram_replayed_after_completion_changes_nothing()
    {
        Negotiate(new Scenario(), (_, _, bytes) => bytes, out var pair);
        using (pair)
        {
            var sent = pair.Sent.Count;
            for (var i = 0; i < sent; i++)
            {
                pair.Replay(i);
            }
            Assert.That(pair.Left.Installed, Has.Count.EqualTo(1));
            Assert.That(pair.Right.Installed, Has.Count.EqualTo(1));
            Assert.That(pair.Left.Failures.Concat(pair.Right.Failures), Is.Empty);
            Assert.That(pair.Right.Log.Contains("WARNING: the packet is retransmitted by 10.77.0.1[500] (1)."), pair.Right.Log.ToString());
            Assert.That(pair.Left.Engine.Phase1Sas.Single().Established, Is.True);
        }
    }

    [Test]
    public void A_quick_mode_replayed_long_after_is_refused_by_its_message_id()
    {
        Negotiate(new Scenario(), (_, _, bytes) => bytes, out var pair);
        using (pair)
        {
            pair.Clock.Advance(TimeSpan.FromMinutes(10));
            pair.Replay(6);
            Assert.That(pair.Right.Installed, Has.Count.EqualTo(1), "no second SA from a replayed QM1");
            Assert.That(pair.Right.Log.Contains("ignore a quick mode message with the finished message id"), pair.Right.Log.ToString());
        }
    }

    [Test]
    public void A_silent_peer_makes_phase_1_fail_with_a_timeout_reason_after_the_resends()
    {
        var scenario = new Scenario();
        using var pair = scenario.CreatePair();
        pair.Filter = (_, side, bytes) => side == pair.Right ? null : bytes;
        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));
        pair.RunTimers(TimeSpan.FromMinutes(5));

        var failure = pair.Left.Failures.Single();
        Assert.Multiple(() =>
        {
            Assert.That(failure.Reason, Does.StartWith("phase1 negotiation failed due to time up."));
            Assert.That(failure.Acquire?.Policy.Index, Is.EqualTo(scenario.AcquireFor(left: true).Policy.Index), "the kernel request it served is named");
            Assert.That(pair.Left.Log.Contains("ERROR: phase2 negotiation failed due to time up waiting for phase1. ESP 10.77.0.2[0]->10.77.0.1[0]"), pair.Left.Log.ToString());
            Assert.That(pair.Sent.Count(s => s.From == pair.Left), Is.EqualTo(3), "MM1 and its resends until the 30 s phase 1 timer (interval 10 s)");
            Assert.That(pair.Left.Engine.Phase1Sas, Is.Empty);
        });
    }
}
