// racoon-style log lines mark rare protocol events; building their arguments costs nothing that matters.
#pragma warning disable CA1873

using System.Security.Cryptography;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Crypto.Derivation;
using KernelIpsec.Ike.Crypto.DiffieHellman;
using KernelIpsec.Ike.Exchanges;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Exchanges.Phase1;
using KernelIpsec.Ike.Exchanges.Proposals;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Ike.Exchanges.Phase2;

// The keys and the hashes of quick mode: RESPONDER-LIFETIME, KEYMAT and the SA pairs, HASH(1)/(2)/(3), the protected send.
internal sealed partial class QuickMode
{
    private Phase2Choice ApplyResponderLifetime(Phase2Choice choice, NotificationPayload n)
    {
        if (!n.ReadAttributes().TryGetValue(out var attributes, out _))
        {
            return choice;
        }
        uint seconds = choice.LifetimeSeconds, kilobytes = choice.LifetimeKilobytes;
        ushort type = 0;
        foreach (var a in attributes)
        {
            if (a.Type == (ushort)IpsecAttributeType.SaLifeType && a.TryGetInteger(out var t))
            {
                type = (ushort)t;
            }
            else if (a.Type == (ushort)IpsecAttributeType.SaLifeDuration && a.TryGetInteger(out var v) && v <= uint.MaxValue)
            {
                if (type == 1 && (seconds == 0 || v < seconds))
                {
                    seconds = (uint)v;
                }
                else if (type == 2 && (kilobytes == 0 || v < kilobytes))
                {
                    kilobytes = (uint)v;
                }
            }
        }
        ExchangeLog.ResponderLifetimeReceived(s.Log, seconds, kilobytes != 0 ? $", {kilobytes} kbytes" : "");
        return choice with { LifetimeSeconds = seconds, LifetimeKilobytes = kilobytes };
    }

    /// <summary>KEYMAT for both directions of every protocol, then the install intents and racoon's log lines.</summary>
    private void Install()
    {
        var choice = this.choice!;
        byte[] gqm = [];
        if (dh is not null)
        {
            try
            {
                gqm = dh.DeriveSharedSecret(peerKe);
            }
            catch (DhPublicValueException e)
            {
                throw ExchangeException.Abort($"invalid PFS public value: {e.Message}", NotifyType.InvalidKeyInformation);
            }
        }
        var nonceI = this.nonceI!;
        var nonceR = this.nonceR!;
        var pairs = new List<IpsecSaPair>();
        using (var prfD = ph1.Keys!.PrfD())
        {
            foreach (var p in choice.Protocols)
            {
                var template = Policy.Templates.First(t => t.Protocol == p.Protocol);
                var (local, remote) = Endpoints(template);
                var inbound = inboundSpis[p.Protocol];
                var (encLength, authLength) = IpsecKeyLengths.For(p.Protocol, p.Transform);
                var length = encLength + authLength;
                var keyIn = length == 0 ? [] : Keymat.Derive(prfD, gqm, (byte)p.Protocol, inbound, nonceI, nonceR, length);
                var keyOut = length == 0 ? [] : Keymat.Derive(prfD, gqm, (byte)p.Protocol, p.PeerSpi, nonceI, nonceR, length);
                var (localSelector, remoteSelector) = SaSelectors(p.Protocol, p.Transform.Mode, local, remote);
                pairs.Add(new IpsecSaPair(p.Protocol, p.Transform.Mode, local, remote, inbound, p.PeerSpi, p.Transform.TransformId,
                    Phase2ProposalMatcher.EffectiveKeyBits(p.Protocol, p.Transform), IpsecKeyLengths.AuthenticationAlgorithm(p.Protocol, p.Transform),
                    new SaKeys(keyIn[..encLength], keyIn[encLength..]), new SaKeys(keyOut[..encLength], keyOut[encLength..]),
                    new IpsecLifetime(choice.LifetimeSeconds, choice.LifetimeKilobytes), template.Reqid, localSelector, remoteSelector,
                    EncapsulationFor(p.Protocol, p.Transform.Mode)));
            }
        }
        CryptographicOperations.ZeroMemory(gqm);
        dh?.Dispose();
        dh = null;
        foreach (var pair in pairs)
        {
            Out.Add(new InstallSaPair(pair));
        }
        InstallGeneratedPolicy(choice.LifetimeSeconds);
        foreach (var pair in pairs)
        {
            ExchangeLog.IPsecSAEstablished(s.Log, RacoonText.IpsecSa(pair.Protocol, pair.Mode, pair.RemoteAddress, pair.LocalAddress, pair.InboundSpi));
            ExchangeLog.IPsecSAEstablished(s.Log, RacoonText.IpsecSa(pair.Protocol, pair.Mode, pair.LocalAddress, pair.RemoteAddress, pair.OutboundSpi));
        }
        Installed = pairs;
        State = Step.Done;
    }

    /// <summary>Appends HASH(1)/HASH(2) in front of <paramref name="rest"/>, encrypts with the exchange IV and sends.</summary>
    private void SendProtected(List<Payload> rest, byte[]? nonceI, bool expectAnswer, bool commit = false, bool resetResend = true)
    {
        var chain = PayloadChain.ToArray([.. rest]);
        var hash = ComputeHash(ph1, MessageId, nonceI, chain);
        var full = new byte[Payload.GenericHeaderSize + hash.Length + chain.Length];
        new HashPayload(hash).Write(full, rest[0].Type);
        chain.CopyTo(full, Payload.GenericHeaderSize + hash.Length);
        var header = ph1.Header(ExchangeType.QuickMode, MessageId, commit ? IsakmpFlags.Commit : IsakmpFlags.None);
        var datagram = MessageCrypto.Encrypted(header, PayloadType.Hash, full, ph1.Keys!.Cipher, Iv);
        LastSent = datagram;
        Out.Send(ph1.Local, ph1.Peer, datagram, s.Timers.PerSend);
        if (resetResend)
        {
            Resend = expectAnswer ? new Retransmission(s.Timers, datagram, s.Now) : null;
        }
    }

    /// <summary>prf(SKEYID_a, M-ID [| Ni_b] | message after HASH): HASH(1), HASH(2) and the commit HASH(4).</summary>
    private static byte[] ComputeHash(IsakmpSa ph1, uint messageId, byte[]? nonceI, ReadOnlySpan<byte> rest)
    {
        var hash = new byte[ph1.Keys!.Hash.HashLength];
        using var prfA = ph1.Keys!.PrfA();
        if (nonceI is null)
        {
            Phase2Hash.QuickModeHash1(prfA, messageId, rest, hash);
        }
        else
        {
            Phase2Hash.QuickModeHash2(prfA, messageId, nonceI, rest, hash);
        }
        return hash;
    }

    private static void CheckHash(InboundMessage message, byte[] expected, string which)
    {
        var hash = message.Read(message.Payloads[0], HashPayload.Read);
        if (!CryptographicOperations.FixedTimeEquals(hash.Data, expected))
        {
            throw ExchangeException.Drop($"{which} mismatched", NotifyType.InvalidHashInformation);
        }
    }
}
