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
