using KernelIpsec.Ike.Sa;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Exchanges;

/// <summary>
/// Mutated copies of every datagram of a real negotiation, fed to engines at each stage: nothing may throw out of
/// the engine, and an established pair must still hold exactly its SAs afterwards.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class HostileInputTests
{
    [Test]
    public void A_junk_flood_from_one_source_logs_a_few_lines_and_a_count_while_another_source_still_gets_its_lines()
    {
        var scenario = new Scenario();
        using var pair = scenario.CreatePair();
        var right = pair.Right;
        var flooder = new System.Net.IPEndPoint(System.Net.IPAddress.Parse("10.77.0.66"), 500);
        var junk = new byte[40];
        junk[17] = 0x10;
        junk[18] = 2; // main mode
        junk[15] = 7; // a responder cookie no SA has: "unknown ISAKMP-SA"
        junk[7] = 1; // and never a zero initiator cookie
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(junk.AsSpan(24), 40);
        for (var i = 0; i < 1000; i++)
        {
            junk[0] = (byte)i; // a new packet each time (a copy would count as a retransmission)
            junk[1] = (byte)(i >> 8);
            right.Engine.HandleDatagram(right.Endpoint, flooder, junk);
        }
        right.Engine.HandleDatagram(right.Endpoint, pair.Left.Endpoint, junk);
        pair.Clock.Advance(TimeSpan.FromSeconds(11));
        junk[2] = 1;
        right.Engine.HandleDatagram(right.Endpoint, flooder, junk);

        var lines = right.Log.Lines;
        Assert.Multiple(() =>
        {
            Assert.That(lines.Count(l => l.Contains("10.77.0.66[500]", StringComparison.Ordinal) && l.Contains("unknown ISAKMP-SA", StringComparison.OrdinalIgnoreCase)), Is.EqualTo(11),
                "10 in the first window, 1 in the next");
            Assert.That(lines, Has.One.EqualTo("WARNING: 990 more warnings about packets from 10.77.0.66 were suppressed"));
            Assert.That(lines.Count(l => l.Contains("10.77.0.1[500]", StringComparison.Ordinal) && l.Contains("unknown ISAKMP-SA", StringComparison.OrdinalIgnoreCase)), Is.EqualTo(1));
        });
    }

    [Test]
    public void Mutated_datagrams_never_throw_and_never_disturb_established_sas()
    {
        var scenario = new Scenario();
        using var pair = scenario.CreatePair();
        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));
        Assert.That(pair.Left.Installed, Has.Count.EqualTo(1));
        var corpus = pair.Sent.ToList();
        var random = new Random(20261123);
        var fresh = scenario.CreatePair();
        using (fresh)
        {
            for (var i = 0; i < 4000; i++)
            {
                var (from, original) = corpus[random.Next(corpus.Count)];
                var bytes = Mutate(original, random);
                foreach (var engine in new[] { pair.Other(from).Engine, fresh.Right.Engine, fresh.Left.Engine })
                {
                    Assert.DoesNotThrow(() => engine.HandleDatagram(new System.Net.IPEndPoint(Scenario.RightAddress, 500), from.Endpoint, bytes),
                        $"mutation {i}: {Convert.ToHexString(bytes)}");
                }
            }
        }
        Assert.That(pair.Left.Engine.IpsecSas, Has.Count.EqualTo(1));
        Assert.That(pair.Right.Engine.IpsecSas, Has.Count.EqualTo(1));
        Assert.That(pair.Left.Engine.Phase1Sas.Count(p => p.Established), Is.EqualTo(1));
        Assert.That(pair.Right.Engine.Phase1Sas.Count(p => p.Established), Is.EqualTo(1));
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(4))
        {
            case 0:
                for (var k = random.Next(1, 4); k > 0; k--)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
                }
                break;
            case 1:
                // Somewhere after the header, keeping the length field honest so deeper code runs.
                var at = 28 + random.Next(Math.Max(1, bytes.Length - 28));
                if (at < bytes.Length)
                {
                    bytes[at] = (byte)random.Next(256);
                }
                break;
            case 2:
                var cut = random.Next(1, bytes.Length);
                bytes = bytes[..cut];
                if (cut >= 28)
                {
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(24), (uint)cut);
                }
                break;
            default:
                // Change a payload length inside the chain.
                if (bytes.Length > 32)
                {
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(30), (ushort)random.Next(0, 600));
                }
                break;
        }
        return bytes;
    }
}
