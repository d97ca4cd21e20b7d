using System.Net;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Keyd.Admin;
using KernelIpsec.Keyd.AdminProtocol;
using KernelIpsec.Keyd.Ctl;
using KernelIpsec.Keyd.Daemon;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd;

/// <summary>racoonctl show-event: the evt_async wire layout, racoonctl's lines, and which daemon happenings become which event.</summary>
[TestFixture, Category(Tier.Unit)]
public class AdminEventTests
{
    private static readonly IPEndPoint Left = new(IPAddress.Parse("10.77.0.1"), 500);
    private static readonly IPEndPoint Right = new(IPAddress.Parse("10.77.0.2"), 4500);

    [Test]
    public void EventIsStructEvtAsyncAfterAShowEvtHeader()
    {
        var message = new EventDump(EventType.Phase1Up, 0x6543210f, Left, Right, 0x01020304).ToMessage();

        Assert.That(message, Has.Length.EqualTo(8 + 280));
        Assert.That(message[..8], Is.EqualTo(new byte[] { 0x20, 0x01, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00 }), "ac_len 288, ADMIN_SHOW_EVT, errno 0, proto 0");
        var evt = message.AsSpan(8);
        Assert.That(evt[..16].ToArray(), Is.EqualTo(new byte[] { 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0x0f, 0x21, 0x43, 0x65, 0, 0, 0, 0 }), "ec_type, padding, time_t ec_timestamp @8");
        Assert.That(evt[16..24].ToArray(), Is.EqualTo(new byte[] { 0x02, 0x00, 0x01, 0xf4, 10, 77, 0, 1 }), "ec_ph1src @16: sockaddr_in, port in network order");
        Assert.That(evt[144..152].ToArray(), Is.EqualTo(new byte[] { 0x02, 0x00, 0x11, 0x94, 10, 77, 0, 2 }), "ec_ph1dst @144");
        Assert.That(evt[272..280].ToArray(), Is.EqualTo(new byte[] { 0x04, 0x03, 0x02, 0x01, 0, 0, 0, 0 }), "ec_ph2msgid @272, padding to 280");
        Assert.That(EventDump.Read(evt), Is.EqualTo(new EventDump(EventType.Phase1Up, 0x6543210f, Left, Right, 0x01020304)));
    }

    [TestCase(EventType.Phase1Up, "Phase 1 established : 10.77.0.1[500] -> 10.77.0.2[4500]")]
    [TestCase(EventType.Phase1DpdTimeout, "Phase 1 error: dead peer detected : 10.77.0.1[500] -> 10.77.0.2[4500]")]
    [TestCase(EventType.Phase2Down, "Phase 2 deleted : 10.77.0.1[500] -> 10.77.0.2[4500]")]
    [TestCase(0x1234u, "Event 4660: 10.77.0.1[500] -> 10.77.0.2[4500]")]
    public void LinesAreRacoonctlsPrintEvt(uint type, string line)
    {
        Assert.That(new EventDump(type, 0, Left, Right, 0).ToLine(), Is.EqualTo(line));
    }

    [Test]
    public void QuitHasNoAddresses()
    {
        Assert.That(new EventDump(EventType.RacoonQuit, 0, null, null, 0).ToLine(), Is.EqualTo("Racoon terminated : unknown -> unknown"));
    }

    private static (int Code, string Out, string Err, AdminHeader Request) ShowEvents(params byte[][] messages) =>
        Follow(["show-event"], messages);

    private static (int Code, string Out, string Err, AdminHeader Request) Follow(string[] command, params byte[][] messages)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        AdminHeader request = default;
        var code = RacoonctlCli.Run(["-s", "/tmp/r.sock", .. command], stdout, stderr, (_, _) => throw new AssertionException("show-event streams"), TimeZoneInfo.Utc,
            (_, bytes) =>
            {
                request = AdminHeader.Read(bytes);
                return messages;
            });
        return (code, stdout.ToString(), stderr.ToString(), request);
    }

    [Test]
    public void ShowEventPrintsEveryPushedEventUntilRacoonTerminates()
    {
        var (code, output, error, request) = ShowEvents(
            AdminHeader.Reply(AdminCommand.ShowEvent, 0, 0, []),
            new EventDump(EventType.Phase1Up, 1, Left, Right, 0).ToMessage(),
            new EventDump(EventType.Phase2Up, 2, Left, Right, 0).ToMessage(),
            new EventDump(EventType.RacoonQuit, 3, null, null, 0).ToMessage());

        Assert.That(request, Is.EqualTo(new AdminHeader(8, 0x8003, 1, 0)), "ADMIN_SHOW_EVT, version 1");
        Assert.That(output, Is.EqualTo(
            "Phase 1 established : 10.77.0.1[500] -> 10.77.0.2[4500]\n" +
            "Phase 2 established : 10.77.0.1[500] -> 10.77.0.2[4500]\n" +
            "Racoon terminated : unknown -> unknown\n"));
        Assert.That((code, error), Is.EqualTo((0, "")));
    }

    [Test]
    public void ShowEventFailsWhenRacoonHangsUpWithoutTerminatingOrSendsGarbage()
    {
        var (code, _, error, _) = ShowEvents(AdminHeader.Reply(AdminCommand.ShowEvent, 0, 0, []));
        Assert.That((code, error), Is.EqualTo((1, "racoonctl: /tmp/r.sock: racoon closed the connection\n")));

        var (shortCode, _, shortError, _) = ShowEvents(AdminHeader.Reply(AdminCommand.ShowEvent, 0, 0, new byte[10]));
        Assert.That((shortCode, shortError), Is.EqualTo((1, "racoonctl: Short buffer\n")));

        var (refused, _, refusedError, _) = ShowEvents(AdminHeader.Reply(AdminCommand.ShowEvent, 0, AdminErrno.ENOTSUP, []));
        Assert.That((refused, refusedError), Is.EqualTo((1, "racoonctl: kmpstat: Operation not supported\n")));
    }

    [Test]
    public void EstablishSaMinusWWaitsForItsPhase2()
    {
        var (code, output, error, request) = Follow(["establish-sa", "-w", "esp", "inet", "10.77.0.1", "10.77.0.2"],
            AdminHeader.Reply(AdminCommand.EstablishSa, AdminProto.Esp, 0, []),
            new EventDump(EventType.Phase1Up, 1, Left, Right, 0).ToMessage(),
            new EventDump(EventType.Phase2Up, 2, Left, Right, 0).ToMessage(),
            new EventDump(EventType.Phase2Down, 3, Left, Right, 0).ToMessage());

        Assert.That((request.BareCommand, request.Proto), Is.EqualTo((AdminCommand.EstablishSa, AdminProto.Esp)));
        Assert.That((code, output, error), Is.EqualTo((0, "Phase 2 established : 10.77.0.1[500] -> 10.77.0.2[4500]\n", "")));

        var (gone, _, goneError, _) = Follow(["establish-sa", "-w", "esp", "inet", "10.77.0.1", "10.77.0.2"],
            AdminHeader.Reply(AdminCommand.EstablishSa, AdminProto.Esp, 0, []), new EventDump(EventType.RacoonQuit, 3, null, null, 0).ToMessage());
        Assert.That((gone, goneError), Is.EqualTo((1, "racoonctl: /tmp/r.sock: racoon closed the connection\n")));

        var (noPolicy, _, noPolicyError, _) = Follow(["establish-sa", "-w", "esp", "inet", "10.77.0.1", "10.77.0.2"],
            AdminHeader.Reply(AdminCommand.EstablishSa, AdminProto.Esp, AdminErrno.ENOENT, []));
        Assert.That((noPolicy, noPolicyError), Is.EqualTo((1, "racoonctl: kmpstat: No such file or directory\n")));

        // isakmp: -w waits for "Phase 1 mode configuration done", which racoon sends after "Phase 1 established".
        var (isakmp, isakmpOut, isakmpError, _) = Follow(["establish-sa", "-w", "isakmp", "inet", "10.77.0.1", "10.77.0.2"],
            AdminHeader.Reply(AdminCommand.EstablishSa, AdminProto.Isakmp, 0, []),
            new EventDump(EventType.Phase1Up, 1, Left, Right, 0).ToMessage(),
            new EventDump(EventType.Phase1ModeCfg, 1, Left, Right, 0).ToMessage());
        Assert.That((isakmp, isakmpOut, isakmpError), Is.EqualTo((0, "VPN connexion established\n", "")));
    }

    [Test]
    public void VpnDisconnectWaitsForPhase1Deleted()
    {
        var (code, output, error, request) = Follow(["vpn-disconnect", "10.77.0.2"],
            AdminHeader.Reply(AdminCommand.DeleteAllSaDst, AdminProto.Isakmp, 0, []),
            new EventDump(EventType.Phase2Down, 1, Left, Right, 0).ToMessage(),
            new EventDump(EventType.Phase1Down, 2, Left, Right, 0).ToMessage(),
            new EventDump(EventType.RacoonQuit, 3, null, null, 0).ToMessage());

        Assert.That((request.Command, request.Proto), Is.EqualTo((AdminCommand.DeleteAllSaDst | AdminCommand.FlagVersion, AdminProto.Isakmp)));
        Assert.That((code, output, error), Is.EqualTo((0, "Phase 1 deleted : 10.77.0.1[500] -> 10.77.0.2[4500]\n", "")));

        var (none, _, noneError, _) = Follow(["vpn-disconnect", "10.77.0.9"],
            AdminHeader.Reply(AdminCommand.DeleteAllSaDst, AdminProto.Isakmp, AdminErrno.ENOENT, []));
        Assert.That((none, noneError), Is.EqualTo((1, "racoonctl: kmpstat: No such file or directory\n")));
    }

    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    private static IpsecSaPair Pair() => new(IpsecSaProtocol.Esp, IpsecSaMode.Transport, Left.Address, Right.Address, 0x1111, 0x2222,
        3, 0, 2, new SaKeys(new byte[24], new byte[20]), new SaKeys(new byte[24], new byte[20]), new IpsecLifetime(600, 0), 3,
        TrafficSelector.Host(Left.Address), TrafficSelector.Host(Right.Address));

    [Test]
    public void APhase2IsUpOnceAndDownOnceWhicheverOfItsSasGoesFirst()
    {
        var phase1s = new Phase1Table(TimeProvider.System);
        phase1s.Up(new Phase1Up(Left, Right, 1, 2));
        var reporter = new EventReporter(phase1s);

        var up = reporter.Observe(new InstallSaPair(Pair()), Now);
        Assert.That(up, Is.EqualTo(new EventDump(EventType.Phase2Up, 1_800_000_000, Left, Right, 0)), "the phase 1's endpoints, NAT-T port included");
        var down = reporter.SaGone(new SaId(Right.Address, Left.Address, IpsecProtocol.Esp, 0x1111), Now);
        Assert.That(down, Is.EqualTo(new EventDump(EventType.Phase2Down, 1_800_000_000, Left, Right, 0)));
        Assert.That(reporter.Observe(new DeleteIpsecSa(IpsecSaProtocol.Esp, 0x2222, Left.Address, Right.Address), Now), Is.Null, "the pair's other SA");

        Assert.That(reporter.Observe(new InstallSaPair(Pair()), Now)?.Type, Is.EqualTo(EventType.Phase2Up));
        Assert.That(reporter.Observe(new DeleteIpsecSa(IpsecSaProtocol.Esp, 0x2222, Left.Address, Right.Address), Now)?.Type, Is.EqualTo(EventType.Phase2Down));
        Assert.That(reporter.Observe(new InstallSaPair(Pair()), Now)?.Type, Is.EqualTo(EventType.Phase2Up));
        Assert.That(reporter.Flushed(IpsecProtocol.Ah, Now), Is.Empty);
        Assert.That(reporter.Flushed(null, Now).Select(e => e.Type), Is.EqualTo(new[] { EventType.Phase2Down }));
    }

    [TestCase(NegotiationPhase.Phase1, "phase1 negotiation failed due to time up. 0123:4567", EventType.Phase1NoResponse)]
    [TestCase(NegotiationPhase.Phase1, "no suitable proposal found (aes/sha1/modp1024)", EventType.Phase1NoProposal)]
    [TestCase(NegotiationPhase.Phase1, "couldn't find the pskey for 10.77.0.2.", EventType.Phase1AuthFailed)]
    [TestCase(NegotiationPhase.Phase1, "invalid HASH_I payload: HASH mismatched (pre-shared key differs?)", EventType.Phase1AuthFailed)]
    [TestCase(NegotiationPhase.Phase2, "phase2 negotiation failed due to time up. 1234", EventType.Phase2NoResponse)]
    public void FailuresRacoonReportsBecomeTheirEvents(NegotiationPhase phase, string reason, uint expected)
    {
        var reporter = new EventReporter(new Phase1Table(TimeProvider.System));

        Assert.That(reporter.Observe(new NegotiationFailed(phase, Left, Right, reason, null), Now)?.Type, Is.EqualTo(expected));
    }

    [TestCase("DPD: peer seems to be dead", EventType.Phase1DpdTimeout)]
    [TestCase("deleted by the peer", EventType.Phase1PeerDeleted)]
    [TestCase("ISAKMP-SA expired", EventType.Phase1Down)]
    public void Phase1DownSaysWhy(string reason, uint expected)
    {
        var reporter = new EventReporter(new Phase1Table(TimeProvider.System));

        Assert.That(reporter.Observe(new Phase1Down(Left, Right, 1, 2, reason), Now)?.Type, Is.EqualTo(expected));
        Assert.That(reporter.Observe(new NegotiationFailed(NegotiationPhase.Phase2, Left, Right, "no suitable policy found: x", null), Now), Is.Null, "racoon only logs this one");
    }
}
