using System.Net;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Keyd.Daemon;
using KernelIpsec.Netlink;
using KernelIpsec.Netlink.InMemory;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Tests.Ike.Engine;
using KernelIpsec.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd;

[TestFixture, Category(Tier.Unit)]
public class IntentExecutorTests
{
    private static readonly IPAddress Left = IPAddress.Parse("10.77.0.1");
    private static readonly IPAddress Right = IPAddress.Parse("10.77.0.2");

    private sealed class RecordingSender : IDatagramSender
    {
        public List<(IPEndPoint Local, IPEndPoint Remote, byte[] Message)> Sent { get; } = [];

        public List<(IPEndPoint Local, IPEndPoint Remote)> Keepalives { get; } = [];

        public bool Send(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> message)
        {
            Sent.Add((local, remote, message.ToArray()));
            return true;
        }

        public bool SendNatKeepalive(IPEndPoint local, IPEndPoint remote)
        {
            Keepalives.Add((local, remote));
            return true;
        }
    }

    private sealed class Rig
    {
        public InMemoryKernel Kernel { get; }
        public RecordingSender Sender { get; } = new();
        public List<DateTimeOffset> Timers { get; } = [];
        public InstalledSas Installed { get; } = new();
        public Phase1Table Phase1s { get; } = new(TimeProvider.System);
        public IntentExecutor Executor { get; }

        public Rig(bool pfKey = false, ILogger? logger = null)
        {
            Kernel = new(random: new Random(1), capabilities: pfKey ? KernelCapabilities.PfKey : KernelCapabilities.Xfrm);
            Executor = new IntentExecutor(Kernel, Sender, Timers.Add, Installed, Phase1s, logger ?? NullLogger.Instance);
        }
    }

    private static byte[] Bytes(int length, byte seed) => Enumerable.Range(0, length).Select(i => (byte)(seed + i)).ToArray();

    private static IpsecSaPair AesSha256Pair(uint inbound, uint outbound, IpsecSaMode mode = IpsecSaMode.Transport) => new(
        IpsecSaProtocol.Esp, mode, Left, Right, inbound, outbound,
        TransformId: 12, KeyLengthBits: 128, AuthenticationAlgorithm: 5,
        InboundKeys: new SaKeys(Bytes(16, 1), Bytes(32, 100)),
        OutboundKeys: new SaKeys(Bytes(16, 51), Bytes(32, 150)),
        Lifetime: new IpsecLifetime(3600, 0), Reqid: 7,
        LocalSelector: TrafficSelector.Host(Left), RemoteSelector: TrafficSelector.Host(Right));

    [Test]
    public async Task AllocatedSpiIsAnsweredAndTheLarvalSaIsOurs()
    {
        var rig = new Rig();
        var answers = await rig.Executor.ExecuteAsync([new AllocateSpi(11, IpsecSaProtocol.Esp, Right, Left, 7)]);

        Assert.That(answers, Has.Count.EqualTo(1));
        Assert.That(answers[0].RequestId, Is.EqualTo(11));
        Assert.That(answers[0].Spi, Is.InRange(0x100u, 0x0fffffffu));
        var dump = await rig.Kernel.DumpSasAsync();
        Assert.That(dump.Single().Id, Is.EqualTo(new SaId(Right, Left, IpsecProtocol.Esp, answers[0].Spi!.Value)));
        Assert.That(rig.Installed.Contains(dump.Single().Id), Is.True);
    }

    [Test]
    public async Task PairInstallsInboundOverTheLarvalSaAndOutboundWithRacoonParameters()
    {
        var rig = new Rig();
        var spi = (await rig.Executor.ExecuteAsync([new AllocateSpi(1, IpsecSaProtocol.Esp, Right, Left, 7)]))[0].Spi!.Value;

        await rig.Executor.ExecuteAsync([new InstallSaPair(AesSha256Pair(spi, 0x5000))]);

        var inbound = await rig.Kernel.GetSaAsync(new SaId(Right, Left, IpsecProtocol.Esp, spi));
        var outbound = await rig.Kernel.GetSaAsync(new SaId(Left, Right, IpsecProtocol.Esp, 0x5000));
        Assert.That(inbound, Is.Not.Null);
        Assert.That(outbound, Is.Not.Null);
        foreach (var sa in new[] { inbound!, outbound! })
        {
            Assert.That(sa.ReplayWindow, Is.EqualTo(4));
            Assert.That(sa.ReqId, Is.EqualTo(7));
            Assert.That(sa.Mode, Is.EqualTo(IpsecMode.Transport));
            Assert.That(sa.Lifetime.Hard.AddSeconds, Is.EqualTo(3600));
            Assert.That(sa.Lifetime.Soft.AddSeconds, Is.EqualTo(2880));
            Assert.That(sa.Encryption!.Algorithm.KernelName, Is.EqualTo("cbc(aes)"));
            Assert.That(sa.Authentication!.Algorithm.KernelName, Is.EqualTo("hmac(sha256)"));
            Assert.That(sa.Authentication.IcvBits, Is.EqualTo(128), "RFC 4868 truncation over XFRM");
        }
        Assert.That(inbound!.Encryption!.Key.ToArray(), Is.EqualTo(Bytes(16, 1)));
        Assert.That(outbound!.Authentication!.Key.ToArray(), Is.EqualTo(Bytes(32, 150)));
        Assert.That(outbound.Selector, Is.EqualTo(new Selector(AddressPrefix.Host(Left), AddressPrefix.Host(Right))));
        Assert.That(rig.Installed.Count, Is.EqualTo(2));
    }

    [Test]
    public async Task PfKeyGetsLinuxsPfKeyTruncation()
    {
        var rig = new Rig(pfKey: true);
        await rig.Executor.ExecuteAsync([new InstallSaPair(AesSha256Pair(0x4000, 0x5000))]);
        var outbound = await rig.Kernel.GetSaAsync(new SaId(Left, Right, IpsecProtocol.Esp, 0x5000));
        Assert.That(outbound!.Authentication!.IcvBits, Is.EqualTo(96));
    }

    [Test]
    public async Task PerSaLogLinesReadAsBefore()
    {
        var log = new ListLogger();
        var rig = new Rig(pfKey: true, logger: log);
        var spi = (await rig.Executor.ExecuteAsync([new AllocateSpi(1, IpsecSaProtocol.Esp, Right, Left, 7)]))[0].Spi!.Value;
        await rig.Executor.ExecuteAsync([
            new InstallSaPair(AesSha256Pair(spi, 0x5000)),
            new DeleteIpsecSa(IpsecSaProtocol.Esp, 0x5000, Left, Right),
            new DeleteIpsecSa(IpsecSaProtocol.Esp, 0x5000, Left, Right),
            new NegotiationFailed(NegotiationPhase.Phase1, new IPEndPoint(Left, 500), new IPEndPoint(Right, 500), "timed out", null),
        ]);

        var inbound = new SaId(Right, Left, IpsecProtocol.Esp, spi);
        var outbound = new SaId(Left, Right, IpsecProtocol.Esp, 0x5000);
        Assert.That(log.Lines, Is.EqualTo(new[]
        {
            $"DEBUG: SPI 0x{spi:x} allocated for Esp {Right}->{Left}",
            "WARNING: PF_KEY installs hmac-sha256 with a 96-bit ICV (pre-RFC 4868, as racoon did); peers using 128 bits (RFC 4868) drop this SA's packets. Use --kernel xfrm for 128 bits.",
            $"DEBUG: inbound SA installed: {inbound}",
            $"DEBUG: outbound SA installed: {outbound}",
            $"INFO: IPsec-SA deleted: {outbound}",
            $"DEBUG: IPsec-SA {outbound} was already gone",
            $"DEBUG: negotiation for {Right}:500 failed (timed out); kernel ACQUIRE (null) left to expire",
        }));
    }

    [Test]
    public async Task PfKeyTransportSasCarryNoSelectorBecausePfKeyHasNone()
    {
        var rig = new Rig(pfKey: true);
        await rig.Executor.ExecuteAsync([new InstallSaPair(AesSha256Pair(0x4000, 0x5000))]);
        var outbound = await rig.Kernel.GetSaAsync(new SaId(Left, Right, IpsecProtocol.Esp, 0x5000));
        Assert.That(outbound!.Mode, Is.EqualTo(IpsecMode.Transport));
        Assert.That(outbound.Selector, Is.Null.Or.EqualTo(Selector.Any(System.Net.Sockets.AddressFamily.InterNetwork)));
        Assert.That(rig.Installed.Count, Is.EqualTo(2));
    }

    [Test]
    public async Task TunnelSasCarryNoSelector()
    {
        var rig = new Rig();
        await rig.Executor.ExecuteAsync([new InstallSaPair(AesSha256Pair(0x4000, 0x5000, IpsecSaMode.Tunnel))]);
        var outbound = await rig.Kernel.GetSaAsync(new SaId(Left, Right, IpsecProtocol.Esp, 0x5000));
        Assert.That(outbound!.Mode, Is.EqualTo(IpsecMode.Tunnel));
        Assert.That(outbound.Selector, Is.Null.Or.EqualTo(Selector.Any(System.Net.Sockets.AddressFamily.InterNetwork)));
    }

    [Test]
    public async Task DeleteRemovesTheSaAndAMissingOneIsNoError()
    {
        var rig = new Rig();
        await rig.Executor.ExecuteAsync([new InstallSaPair(AesSha256Pair(0x4000, 0x5000))]);
        await rig.Executor.ExecuteAsync([
            new DeleteIpsecSa(IpsecSaProtocol.Esp, 0x5000, Left, Right),
            new DeleteIpsecSa(IpsecSaProtocol.Esp, 0x9999, Left, Right),
        ]);
        var left = await rig.Kernel.DumpSasAsync();
        Assert.That(left.Select(s => s.Id.Spi), Is.EqualTo(new[] { 0x4000u }));
        Assert.That(rig.Installed.All.Select(s => s.Spi), Is.EqualTo(new[] { 0x4000u }));
    }

    [Test]
    public async Task DatagramsTimersAndPhase1StateGoWhereTheyBelong()
    {
        var rig = new Rig();
        var local = new IPEndPoint(Left, 500);
        var remote = new IPEndPoint(Right, 500);
        var due = DateTimeOffset.UnixEpoch.AddDays(1);
        await rig.Executor.ExecuteAsync([
            new SendDatagram(local, remote, [1, 2, 3]),
            new ArmTimer(due),
            new Phase1Up(local, remote, 0x1111, 0x2222),
        ]);
        Assert.That(rig.Sender.Sent.Single().Message, Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(rig.Timers, Is.EqualTo(new[] { due }));
        Assert.That(rig.Phase1s.Entries.Single().InitiatorCookie, Is.EqualTo(0x1111));
        await rig.Executor.ExecuteAsync([new Phase1Down(local, remote, 0x1111, 0x2222, "deleted")]);
        Assert.That(rig.Phase1s.Entries, Is.Empty);
    }

    [Test]
    public async Task OneBadIntentDoesNotStopTheRest()
    {
        var rig = new Rig();
        var bad = AesSha256Pair(0x4000, 0x5000) with { TransformId = 99 };
        await rig.Executor.ExecuteAsync([new InstallSaPair(bad), new SendDatagram(new IPEndPoint(Left, 500), new IPEndPoint(Right, 500), [9])]);
        Assert.That(await rig.Kernel.DumpSasAsync(), Is.Empty);
        Assert.That(rig.Sender.Sent, Has.Count.EqualTo(1));
    }

    private static readonly IPAddress LeftBeforeNat = IPAddress.Parse("192.168.1.10");
    private static readonly IPAddress RightBeforeNat = IPAddress.Parse("172.16.0.20");

    private static IpsecSaPair NattPair(int remotePort = 31000) => AesSha256Pair(0x4000, 0x5000) with
    {
        Encapsulation = new UdpEncapsulation(4500, remotePort, LeftBeforeNat, RightBeforeNat),
    };

    [Test]
    public async Task ANattPairInstallsEspInUdpWithPortsPerDirectionAndRacoonsOriginalAddresses()
    {
        var rig = new Rig();
        await rig.Executor.ExecuteAsync([new InstallSaPair(NattPair())]);

        var inbound = await rig.Kernel.GetSaAsync(new SaId(Right, Left, IpsecProtocol.Esp, 0x4000));
        var outbound = await rig.Kernel.GetSaAsync(new SaId(Left, Right, IpsecProtocol.Esp, 0x5000));
        // Inbound (pk_sendupdate): from the peer's NAT port to ours, natoa_src ("the peer's view of my address").
        Assert.That(inbound!.NatTraversal, Is.EqualTo(new NatTraversal(EncapsulationType.EspInUdp, 31000, 4500, LeftBeforeNat)));
        // Outbound (pk_sendadd): from ours to the peer's, natoa_dst ("the peer's view of his address").
        Assert.That(outbound!.NatTraversal, Is.EqualTo(new NatTraversal(EncapsulationType.EspInUdp, 4500, 31000, RightBeforeNat)));
    }

    [Test]
    public async Task APairWithoutEncapsulationHasNone()
    {
        var rig = new Rig();
        await rig.Executor.ExecuteAsync([new InstallSaPair(AesSha256Pair(0x4000, 0x5000))]);
        Assert.That((await rig.Kernel.DumpSasAsync()).Select(sa => sa.NatTraversal), Is.All.Null);
    }

    [Test]
    public async Task EncapsulationIsRefusedForAhAndOnAKernelWithoutNatTraversal()
    {
        var log = new ListLogger();
        var rig = new Rig(logger: log);
        var ah = NattPair() with { Protocol = IpsecSaProtocol.Ah, TransformId = 5, AuthenticationAlgorithm = 0 };
        await rig.Executor.ExecuteAsync([new InstallSaPair(ah)]);

        var noNatt = new InMemoryKernel(capabilities: KernelCapabilities.Xfrm with { NatTraversalEncapsulation = false });
        var noNattLog = new ListLogger();
        var executor = new IntentExecutor(noNatt, new RecordingSender(), _ => { }, new InstalledSas(), new Phase1Table(TimeProvider.System), noNattLog);
        await executor.ExecuteAsync([new InstallSaPair(NattPair())]);

        Assert.That(await rig.Kernel.DumpSasAsync(), Is.Empty);
        Assert.That(await noNatt.DumpSasAsync(), Is.Empty);
        Assert.That(log.Lines.Single(), Does.StartWith("ERROR: cannot install IPsec-SA ").And.EndWith(": UDP encapsulation (NAT-T) applies to ESP only, not AH"));
        Assert.That(noNattLog.Lines.Single(), Does.StartWith("ERROR: cannot install IPsec-SA ").And.EndWith(": this kernel interface cannot install UDP-encapsulated (NAT-T) SAs"));
    }

    [Test]
    public async Task UpdateSaPairMovesBothSasToTheNewPortInPlaceAndKeepsTheirInstallTime()
    {
        var log = new ListLogger();
        var rig = new Rig(logger: log);
        await rig.Executor.ExecuteAsync([new InstallSaPair(NattPair())]);
        var installedAt = rig.Installed.Established.ToDictionary(e => e.Sa.Id, e => e.Created);
        var before = await rig.Kernel.DumpSasAsync();

        await rig.Executor.ExecuteAsync([new UpdateSaPair(NattPair(remotePort: 40001))]);

        var inbound = await rig.Kernel.GetSaAsync(new SaId(Right, Left, IpsecProtocol.Esp, 0x4000));
        var outbound = await rig.Kernel.GetSaAsync(new SaId(Left, Right, IpsecProtocol.Esp, 0x5000));
        Assert.That((inbound!.NatTraversal!.SourcePort, inbound.NatTraversal.DestinationPort), Is.EqualTo((40001, 4500)));
        Assert.That((outbound!.NatTraversal!.SourcePort, outbound.NatTraversal.DestinationPort), Is.EqualTo((4500, 40001)));
        Assert.That(await rig.Kernel.DumpSasAsync(), Has.Count.EqualTo(2), "replaced, not added");
        Assert.That(inbound.Current!.Added, Is.EqualTo(before.Single(sa => sa.Id == inbound.Id).Current!.Added));
        Assert.That(rig.Installed.Established.ToDictionary(e => e.Sa.Id, e => e.Created), Is.EqualTo(installedAt));
        Assert.That(rig.Installed.Established.Select(e => e.Sa.NatTraversal!.SourcePort), Is.EquivalentTo(new[] { 40001, 4500 }), "what backupsa saves follows");
        Assert.That(log.Lines.Where(l => l.StartsWith("INFO:", StringComparison.Ordinal)), Is.EqualTo(new[]
        {
            $"INFO: IPsec-SA updated: {inbound.Id} (UDP encapsulation 40001->4500)",
            $"INFO: IPsec-SA updated: {outbound.Id} (UDP encapsulation 4500->40001)",
        }));
    }

    [Test]
    public async Task UpdateSaPairOfSasThatAreGoneAddsNothing()
    {
        var log = new ListLogger();
        var rig = new Rig(logger: log);
        await rig.Executor.ExecuteAsync([new UpdateSaPair(NattPair())]);

        Assert.That(await rig.Kernel.DumpSasAsync(), Is.Empty);
        Assert.That(rig.Installed.Count, Is.Zero);
        Assert.That(log.Lines, Has.Count.EqualTo(2));
        Assert.That(log.Lines[0], Does.StartWith("ERROR: updating the inbound SA failed for "));
        Assert.That(log.Lines[1], Does.StartWith("ERROR: updating the outbound SA failed for "));
    }

    [Test]
    public async Task NatKeepaliveGoesToTheSenderAsAKeepaliveNotAsIke()
    {
        var log = new ListLogger();
        var rig = new Rig(logger: log);
        var local = new IPEndPoint(Left, 4500);
        var remote = new IPEndPoint(Right, 31000);

        await rig.Executor.ExecuteAsync([new SendNatKeepalive(local, remote)]);

        Assert.That(rig.Sender.Keepalives, Is.EqualTo(new[] { (local, remote) }));
        Assert.That(rig.Sender.Sent, Is.Empty);
        Assert.That(log.Lines, Is.Empty, "a known intent, not the unknown-intent error");
    }
}
