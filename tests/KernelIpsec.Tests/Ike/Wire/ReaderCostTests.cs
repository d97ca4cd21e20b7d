using System.Diagnostics;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Ike.Wire.Vectors;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Wire;

/// <summary>
/// A responder parses every datagram it gets: reading must allocate per payload, never per
/// byte. The bound is the datagram's size plus a fixed cost per payload and attribute.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class ReaderCostTests
{
    [Test]
    public void ReadingAMainModeMessageAllocatesPerPayloadNotPerByte()
    {
        byte[] datagram = Convert.FromHexString(CharonCaptures.AggressivePsk[0].Hex);
        var message = IsakmpMessage.Read(datagram).Value;
        int payloads = message.Payloads!.Count;

        for (int i = 0; i < 100; i++)
        {
            IsakmpMessage.Read(datagram);
        }

        const int rounds = 2000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < rounds; i++)
        {
            IsakmpMessage.Read(datagram);
        }

        watch.Stop();
        long perMessage = (GC.GetAllocatedBytesForCurrentThread() - before) / rounds;
        TestContext.Out.WriteLine($"{datagram.Length}-byte aggressive mode message, {payloads} payloads: {perMessage} bytes allocated, {watch.Elapsed.TotalMicroseconds / rounds:F1} us per read");

        // Two copies of the bytes (datagram + payload bodies) plus ~150 bytes of objects per payload.
        Assert.That(perMessage, Is.LessThan(2 * datagram.Length + 160 * (payloads + 8)));
    }
}
