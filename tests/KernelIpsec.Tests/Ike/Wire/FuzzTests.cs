using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Ike.Wire.Vectors;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Wire;

/// <summary>
/// Mutation fuzzing of the message and chain readers over a seed corpus of real charon
/// packets (plain, and the encrypted ones decrypted) and synthetic messages: bit flips, byte
/// overwrites, truncation, extension, length-field and type-field edits, payload splicing
/// between messages. Every input must
/// give a typed result, never an exception; every accepted input must survive
/// write(read(x)) → read → write with the same bytes (readers and writers agree).
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class FuzzTests
{
    /// <summary>1,000,000 mutated inputs take about 3-4 s here, so the whole run is in the Unit tier.</summary>
    private const int Iterations = 1_000_000;

    [Test]
    public void MillionMutatedPacketsOnlyGiveTypedResults() => Run(seed: 20261123, Iterations);

    private static void Run(int seed, int iterations)
    {
        var corpus = new List<byte[]>();
        foreach (var (_, _, _, datagram) in CharonCaptures.All())
        {
            corpus.Add(datagram);
        }

        foreach (var (_, datagram) in SyntheticMessages.All())
        {
            corpus.Add(datagram);
        }

        foreach (byte[] datagram in CharonDecryption.AsPlainDatagrams())
        {
            corpus.Add(datagram);
        }

        var random = new Random(seed);
        var stats = new int[3];
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++)
        {
            byte[] input = Mutate(corpus, random);
            try
            {
                stats[Exercise(input)]++;
            }
            catch (Exception e)
            {
                Assert.Fail($"iteration {i} (seed {seed}): {e.GetType().Name}: {e.Message}\ninput {Convert.ToHexStringLower(input)}\n{e.StackTrace}");
            }
        }

        TestContext.Out.WriteLine($"{iterations} inputs in {watch.ElapsedMilliseconds} ms: {stats[0]} errors, {stats[1]} plain messages, {stats[2]} encrypted");

        // The mutations must reach the payload readers, not only the header checks.
        Assert.That(stats[1], Is.GreaterThan(iterations / 50), "too few mutated inputs parse: the fuzzer is not exploring");
        Assert.That(stats[0], Is.GreaterThan(iterations / 10), "too few mutated inputs fail: the mutations are too weak");
    }

    /// <summary>0 = typed error, 1 = plain message parsed, 2 = encrypted message (body handed over).</summary>
    private static int Exercise(byte[] input)
    {
        // The decrypted-body path: the same bytes as a padded chain.
        if (input.Length > IsakmpHeader.Size)
        {
            var chain = PayloadChain.Read(input.AsSpan(IsakmpHeader.Size), (PayloadType)input[16], padded: true);
            if (chain.IsOk)
            {
                CheckRewrite(chain.Value);
            }
        }

        var result = IsakmpMessage.Read(input);
        if (!result.TryGetValue(out var message, out var error))
        {
            Assert.That(error.Message, Is.Not.Empty);
            return 0;
        }

        if (message.Header.IsEncrypted)
        {
            Assert.That(message.EncryptedBody!.Length, Is.EqualTo(input.Length - IsakmpHeader.Size));
            return 2;
        }

        CheckRewrite(message.Payloads!);
        return 1;
    }

    private static void CheckRewrite(PayloadChain chain)
    {
        var payloads = new Payload[chain.Count];
        for (int i = 0; i < payloads.Length; i++)
        {
            payloads[i] = chain[i].Payload;

            // Logging a hostile payload must not throw either.
            Assert.That(payloads[i].ToString(), Is.Not.Empty);
        }

        if (PayloadChain.GetLength(payloads) > ushort.MaxValue)
        {
            return;
        }

        byte[] first = PayloadChain.ToArray(payloads);
        var again = PayloadChain.Read(first, payloads.Length == 0 ? PayloadType.None : payloads[0].Type);
        if (!again.IsOk)
        {
            Assert.Fail($"written form of an accepted chain does not parse: {again.Error}");
        }

        var payloads2 = new Payload[again.Value.Count];
        for (int i = 0; i < payloads2.Length; i++)
        {
            payloads2[i] = again.Value[i].Payload;
        }

        if (!first.AsSpan().SequenceEqual(PayloadChain.ToArray(payloads2)))
        {
            Assert.Fail("write(read(write(read(x)))) differs from write(read(x))");
        }
    }

    private static byte[] Mutate(List<byte[]> corpus, Random random)
    {
        byte[] data = (byte[])corpus[random.Next(corpus.Count)].Clone();
        int rounds = 1 + random.Next(3);
        for (int r = 0; r < rounds; r++)
        {
            data = random.Next(9) switch
            {
                0 => FlipBits(data, random),
                1 => OverwriteBytes(data, random),
                2 => data.Length == 0 ? data : data[..random.Next(data.Length)],
                3 => Extend(data, random),
                4 => EditLengthField(data, random),
                5 => EditTypeField(data, random),
                6 => Splice(data, corpus[random.Next(corpus.Count)], random),
                7 => FixHeaderLength(EditLengthField(data, random)),
                _ => FixHeaderLength(Splice(data, corpus[random.Next(corpus.Count)], random)),
            };
        }

        return data;
    }

    private static byte[] FlipBits(byte[] data, Random random)
    {
        if (data.Length == 0)
        {
            return data;
        }

        int flips = 1 + random.Next(8);
        for (int i = 0; i < flips; i++)
        {
            data[random.Next(data.Length)] ^= (byte)(1 << random.Next(8));
        }

        return data;
    }

    private static byte[] OverwriteBytes(byte[] data, Random random)
    {
        if (data.Length == 0)
        {
            return data;
        }

        int count = 1 + random.Next(4);
        for (int i = 0; i < count; i++)
        {
            data[random.Next(data.Length)] = Interesting(random);
        }

        return data;
    }

    private static byte Interesting(Random random) => random.Next(6) switch
    {
        0 => 0,
        1 => 0xff,
        2 => 0x80,
        3 => (byte)random.Next(1, 5),
        _ => (byte)random.Next(256),
    };

    private static byte[] Extend(byte[] data, Random random)
    {
        byte[] extra = new byte[1 + random.Next(64)];
        random.NextBytes(extra);
        return [.. data, .. extra];
    }

    /// <summary>Offsets of generic payload headers found by walking the chain as written (ignoring errors).</summary>
    private static List<int> HeaderOffsets(byte[] data)
    {
        var offsets = new List<int>();
        int offset = IsakmpHeader.Size;
        int next = data.Length > 16 ? data[16] : 0;
        while (next != 0 && offset + 4 <= data.Length && offsets.Count < 64)
        {
            offsets.Add(offset);
            next = data[offset];
            int length = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(offset + 2));
            if (length < 4)
            {
                break;
            }

            offset += length;
        }

        return offsets;
    }

    private static byte[] EditLengthField(byte[] data, Random random)
    {
        var offsets = HeaderOffsets(data);
        if (data.Length < IsakmpHeader.Size)
        {
            return data;
        }

        // A payload length, a length inside a body (proposal/transform/attribute), or the header's.
        int choice = random.Next(offsets.Count + 2);
        int at;
        if (choice < offsets.Count)
        {
            at = offsets[choice] + 2;
        }
        else if (choice == offsets.Count && data.Length > IsakmpHeader.Size + 4)
        {
            at = IsakmpHeader.Size + random.Next(data.Length - IsakmpHeader.Size - 1);
        }
        else
        {
            uint length = (uint)random.Next(-8, 9) + (uint)data.Length;
            BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(24), random.Next(4) == 0 ? (uint)random.Next() : length);
            return data;
        }

        ushort old = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(at));
        ushort value = random.Next(4) switch
        {
            0 => (ushort)random.Next(65536),
            1 => (ushort)random.Next(8),
            _ => (ushort)(old + random.Next(-6, 7)),
        };
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(at), value);
        return data;
    }

    private static byte[] EditTypeField(byte[] data, Random random)
    {
        var offsets = HeaderOffsets(data);
        if (data.Length < IsakmpHeader.Size)
        {
            return data;
        }

        int at = random.Next(offsets.Count + 1) is var pick && pick < offsets.Count ? offsets[pick] : 16;
        byte[] types = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 20, 21, 130, 131, 132, 200, 255];
        data[at] = types[random.Next(types.Length)];
        return data;
    }

    /// <summary>Replaces a payload of <paramref name="data"/> by one of <paramref name="donor"/> (or inserts it).</summary>
    private static byte[] Splice(byte[] data, byte[] donor, Random random)
    {
        var mine = HeaderOffsets(data);
        var theirs = HeaderOffsets(donor);
        if (mine.Count == 0 || theirs.Count == 0)
        {
            return data;
        }

        int d = theirs[random.Next(theirs.Count)];
        int dLength = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(donor.AsSpan(d + 2)), donor.Length - d);
        int index = random.Next(mine.Count);
        int m = mine[index];
        int mLength = random.Next(3) == 0 ? 0 : Math.Min(BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(m + 2)), data.Length - m);
        byte[] result = [.. data.AsSpan(0, m), .. donor.AsSpan(d, dLength), .. data.AsSpan(m + mLength)];

        // Keep the chain linked: the previous header (or the ISAKMP header) names the donor's type.
        int typeAt = index == 0 ? 16 : mine[index - 1];
        byte donorType = d == theirs[0] ? donor[16] : donor[theirs[theirs.IndexOf(d) - 1]];
        result[typeAt] = donorType;
        if (mLength > 0)
        {
            result[m] = data[m];
        }

        return result;
    }

    private static byte[] FixHeaderLength(byte[] data)
    {
        if (data.Length >= IsakmpHeader.Size)
        {
            BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(24), (uint)data.Length);
        }

        return data;
    }
}
