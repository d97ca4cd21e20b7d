using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Ike.Wire.Vectors;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Wire;

[TestFixture, Category(Tier.Unit)]
public class FragmentationTests
{
    private static FragmentPayload Fragment(int captureIndex)
    {
        var message = IsakmpMessage.Read(Convert.FromHexString(CharonCaptures.RsaMainModeFragmented[captureIndex].Hex)).Value;
        Assert.That(message.Header.NextPayload, Is.EqualTo(PayloadType.Fragment));
        Assert.That(message.Header.IsEncrypted, Is.False);
        return (FragmentPayload)message.Payloads!.Entries[0].Payload;
    }

    [Test]
    public void CharonFragmentsReassembleIntoTheEncryptedMainModeMessage()
    {
        // Capture messages 5 and 6: charon (initiator) sent MM5 with its certificate in two fragments.
        var first = Fragment(4);
        var second = Fragment(5);
        Assert.That((first.FragmentId, first.Number, first.IsLast), Is.EqualTo(((ushort)1, (byte)1, false)));
        Assert.That((second.FragmentId, second.Number, second.IsLast), Is.EqualTo(((ushort)1, (byte)2, true)));

        // Any order.
        byte[] whole = IkeFragmentation.Reassemble([second, first]).Value;
        var message = IsakmpMessage.Read(whole);
        Assert.That(message.IsOk, Is.True, () => message.Error.ToString());
        Assert.That(message.Value.Header.IsEncrypted, Is.True);
        Assert.That(message.Value.Header.Exchange, Is.EqualTo(ExchangeType.IdentityProtection));
        Assert.That(message.Value.Header.NextPayload, Is.EqualTo(PayloadType.Identification));
        Assert.That(message.Value.EncryptedBody!.Length, Is.EqualTo(1340 - 28));
    }

    [Test]
    public void SplitThenReassembleGivesTheMessageBack()
    {
        byte[] original = Convert.FromHexString(CharonCaptures.AggressivePsk[0].Hex);
        var originalHeader = IsakmpHeader.Read(original).Value;

        // 499 bytes in pieces of 200 - 28 (header) - 8 (fragment payload header) = 164: 4 fragments.
        byte[][] datagrams = IkeFragmentation.Split(original, fragmentId: 7, maxDatagramLength: 200);
        Assert.That(datagrams, Has.Length.EqualTo(4));

        var fragments = new List<FragmentPayload>();
        foreach (byte[] datagram in datagrams)
        {
            Assert.That(datagram.Length, Is.LessThanOrEqualTo(200));
            var message = IsakmpMessage.Read(datagram).Value;
            Assert.That(message.Header, Is.EqualTo(originalHeader with { NextPayload = PayloadType.Fragment, Length = (uint)datagram.Length }));
            fragments.Add((FragmentPayload)message.Payloads!.Entries[0].Payload);
        }

        Assert.That(IkeFragmentation.Reassemble(fragments.ToArray()).Value, Is.EqualTo(original));
    }

    [Test]
    public void IncompleteOrInconsistentSetsAreErrors()
    {
        var one = new FragmentPayload(1, 1, false, [1]);
        var two = new FragmentPayload(1, 2, true, [2]);
        Assert.That(IkeFragmentation.Reassemble([one]).Error.Message, Is.EqualTo("IKE fragments: no fragment flagged last"));
        Assert.That(IkeFragmentation.Reassemble([two]).Error.Message, Is.EqualTo("IKE fragments: 1 of 2"));
        Assert.That(IkeFragmentation.Reassemble([one, one, two]).Error.Message, Is.EqualTo("IKE fragments: #1 twice"));
        Assert.That(IkeFragmentation.Reassemble([one, two with { FragmentId = 9 }]).Error.Message, Is.EqualTo("IKE fragments: fragment ID 9 mixed with 1"));
        Assert.That(IkeFragmentation.Reassemble([one, two, new FragmentPayload(1, 3, false, [3])]).Error.Message, Is.EqualTo("IKE fragments: #3 after the last (#2)"));
    }
}
