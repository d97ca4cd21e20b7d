using System.Net;
using KernelIpsec.Keyd.AdminProtocol;
using KernelIpsec.Keyd.Ctl;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd;

[TestFixture, Category(Tier.Unit)]
public class AdminProtocolTests
{
    [Test]
    public void RequestHeaderIsRacoonctlsVersionOneRequest()
    {
        var bytes = AdminHeader.Request(AdminCommand.ShowSa, AdminProto.Isakmp, []);
        Assert.That(bytes, Is.EqualTo(new byte[] { 0x08, 0x00, 0x01, 0x81, 0x01, 0x00, 0xff, 0x01 }));
        var header = AdminHeader.Read(bytes);
        Assert.That((header.BareCommand, header.HasVersionFlag, header.ErrnoOrVersion), Is.EqualTo((AdminCommand.ShowSa, true, (short)1)));
    }

    [Test]
    public void ErrorReplyCarriesErrno()
    {
        var bytes = AdminHeader.Reply(AdminCommand.EstablishSa, AdminProto.Isakmp, AdminErrno.EEXIST, []);
        Assert.That(bytes, Is.EqualTo(new byte[] { 0x08, 0x00, 0x02, 0x02, 0x11, 0x00, 0xff, 0x01 }));
        Assert.That(AdminHeader.Read(bytes).ReplyErrno, Is.EqualTo(AdminErrno.EEXIST));
    }

    [Test]
    public void LongReplyPutsTheHighLengthBitsInTheUnion()
    {
        var payload = new byte[70000];
        var bytes = AdminHeader.Reply(AdminCommand.ShowSa, AdminProto.Esp, 0, payload);
        var header = AdminHeader.Read(bytes);
        Assert.That(bytes[..8], Is.EqualTo(new byte[] { 0x78, 0x11, 0x01, 0x81, 0x01, 0x00, 0x02, 0x02 }));
        Assert.That(header.ReplyLength, Is.EqualTo(70008));
        Assert.That(header.ReplyErrno, Is.Zero);
    }

    [Test]
    public void IndexesAreTwoSockaddrStoragesAfterFourBytes()
    {
        var indexes = new AdminIndexes(32, 24, 17, new IPEndPoint(IPAddress.Parse("10.77.0.1"), 500), new IPEndPoint(IPAddress.Parse("10.77.1.0"), 0));
        var bytes = indexes.ToBytes();
        Assert.That(bytes, Has.Length.EqualTo(264));
        Assert.That(bytes[..4], Is.EqualTo(new byte[] { 32, 24, 17, 0 }));
        Assert.That(bytes[8..16], Is.EqualTo(new byte[] { 0x02, 0x00, 0x01, 0xf4, 10, 77, 0, 1 }));
        Assert.That(bytes[136..144], Is.EqualTo(new byte[] { 0x02, 0x00, 0x00, 0x00, 10, 77, 1, 0 }));
        Assert.That(AdminIndexes.Read(bytes), Is.EqualTo(indexes));
    }

    [Test]
    public void Ipv6IndexesUseSockaddrIn6()
    {
        var indexes = new AdminIndexes(128, 128, 255, new IPEndPoint(IPAddress.Parse("fd77::1"), 500), new IPEndPoint(IPAddress.Parse("fd77::2"), 500));
        var bytes = indexes.ToBytes();
        Assert.That(bytes[8..12], Is.EqualTo(new byte[] { 10, 0, 0x01, 0xf4 }));
        Assert.That(bytes[16..18], Is.EqualTo(new byte[] { 0xfd, 0x77 }));
        Assert.That(AdminIndexes.Read(bytes), Is.EqualTo(indexes));
    }

    [Test]
    public void Ph1DumpLayoutMatchesStructPh1dump()
    {
        var dump = new Ph1Dump(0xbfd277014e93fa5c, 0, 3, 0, new IPEndPoint(IPAddress.Parse("127.0.0.2"), 500),
            new IPEndPoint(IPAddress.Parse("127.0.0.1"), 500), 0x10, 2, 0, 7);
        var bytes = Ph1Dump.WriteAll([dump]);
        Assert.That(bytes, Has.Length.EqualTo(304));
        Assert.That(bytes[..8], Is.EqualTo(new byte[] { 0xbf, 0xd2, 0x77, 0x01, 0x4e, 0x93, 0xfa, 0x5c }));
        Assert.That(bytes[16], Is.EqualTo(3));
        Assert.That(bytes[24..32], Is.EqualTo(new byte[] { 2, 0, 0x01, 0xf4, 127, 0, 0, 2 }));
        Assert.That(bytes[152..160], Is.EqualTo(new byte[] { 2, 0, 0x01, 0xf4, 127, 0, 0, 1 }));
        Assert.That((bytes[280], bytes[281], bytes[296]), Is.EqualTo(((byte)0x10, (byte)2, (byte)7)));
        Assert.That(Ph1Dump.ReadAll(bytes).Single(), Is.EqualTo(dump));
    }

    private static readonly Ph1Dump Observed = new(0xbfd277014e93fa5c, 0, 3, Ph1Dump.SideInitiator,
        new IPEndPoint(IPAddress.Parse("127.0.0.2"), 500), new IPEndPoint(IPAddress.Parse("127.0.0.1"), 500), 0x10, 2, 0, 0);

    [Test]
    public void ShowSaIsakmpMatchesRacoonctlByteForByte()
    {
        Assert.That(RacoonctlFormat.Isakmp([Observed], 0, TimeZoneInfo.Utc), Is.EqualTo(
            "Destination            Cookies                           Created\n" +
            "127.0.0.2.500          bfd277014e93fa5c:0000000000000000                     \n"));
        Assert.That(RacoonctlFormat.Isakmp([Observed], 1, TimeZoneInfo.Utc), Is.EqualTo(
            "Destination            Cookies                           ST S  V E Created             Phase2\n" +
            "127.0.0.2.500          bfd277014e93fa5c:0000000000000000  3 I 10 M                          0 \n"));
        Assert.That(RacoonctlFormat.Isakmp([Observed], 2, TimeZoneInfo.Utc), Is.EqualTo(
            "Source                                        Destination                                   Cookies                           ST S  V E Created             Phase2\n" +
            "127.0.0.1.500                                 127.0.0.2.500                                 bfd277014e93fa5c:0000000000000000  3 I 10 M                          0 \n"));
    }

    [Test]
    public void ShowScheduleMatchesRacoonctl()
    {
        var created = new DateTimeOffset(2026, 11, 23, 12, 47, 5, TimeSpan.Zero).ToUnixTimeSeconds();
        Assert.That(RacoonctlFormat.Schedule([new SchedDump(1739, 2, created, 15)], TimeZoneInfo.Utc), Is.EqualTo(
            "index    tick     xtime    created\n" +
            "2        15       1739     2026-11-23 12:47:05\n"));
    }
}

[TestFixture, Category(Tier.Unit)]
public class RacoonctlCliTests
{
    private sealed class FakeRacoon(Func<AdminHeader, byte[], byte[]> answer)
    {
        public List<(string Path, AdminHeader Header, byte[] Payload)> Requests { get; } = [];

        public byte[] Exchange(string path, byte[] request)
        {
            var header = AdminHeader.Read(request);
            var payload = request[AdminHeader.Size..];
            Requests.Add((path, header, payload));
            return answer(header, payload);
        }
    }

    private static (int Code, string Out, string Err, FakeRacoon Racoon) Run(string line, Func<AdminHeader, byte[], byte[]>? answer = null)
    {
        var racoon = new FakeRacoon(answer ?? ((h, _) => AdminHeader.Reply(h.BareCommand, h.Proto, 0, [])));
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = RacoonctlCli.Run(line.Split(' ', StringSplitOptions.RemoveEmptyEntries), stdout, stderr, racoon.Exchange, TimeZoneInfo.Utc);
        return (code, stdout.ToString(), stderr.ToString(), racoon);
    }

    [Test]
    public void ShowSaIsakmpAsksAndPrints()
    {
        var (code, output, _, racoon) = Run("-s /tmp/x.sock show-sa isakmp");
        Assert.That(code, Is.Zero);
        Assert.That(racoon.Requests.Single().Path, Is.EqualTo("/tmp/x.sock"));
        Assert.That(racoon.Requests.Single().Header, Is.EqualTo(new AdminHeader(8, 0x8101, 1, AdminProto.Isakmp)));
        Assert.That(output, Is.EqualTo("Destination            Cookies                           Created\n"));
    }

    [Test]
    public void EmptySadPrintsNoSadEntries()
    {
        var (code, output, _, racoon) = Run("ss esp");
        Assert.That(code, Is.Zero);
        Assert.That(racoon.Requests.Single().Path, Is.EqualTo(RacoonctlCli.DefaultSocketPath));
        Assert.That(output, Is.EqualTo("No SAD entries.\n"));
    }

    [Test]
    public void DeleteSaSendsIndexesOfBothPeers()
    {
        var (code, _, _, racoon) = Run("delete-sa isakmp inet 10.77.0.1 10.77.0.2");
        Assert.That(code, Is.Zero);
        var request = racoon.Requests.Single();
        Assert.That(request.Header.BareCommand, Is.EqualTo(AdminCommand.DeleteSa));
        var indexes = AdminIndexes.Read(request.Payload);
        Assert.That((indexes.Source.Address.ToString(), indexes.Destination.Address.ToString(), indexes.SourcePrefix), Is.EqualTo(("10.77.0.1", "10.77.0.2", (byte)32)));
    }

    [Test]
    public void EstablishEspCarriesSelectorPrefixesPortsAndProtocolButNotTheRemoteName()
    {
        var (_, _, _, racoon) = Run("establish-sa -n peer1 esp inet 10.77.1.0/24[0] 10.77.2.0/24[53] udp");
        var request = racoon.Requests.Single();
        Assert.That((request.Header.BareCommand, request.Header.Proto), Is.EqualTo((AdminCommand.EstablishSa, AdminProto.Esp)));
        var indexes = AdminIndexes.Read(request.Payload);
        Assert.That((indexes.SourcePrefix, indexes.DestinationPrefix, indexes.UpperProtocol, indexes.Destination.Port), Is.EqualTo(((byte)24, (byte)24, (byte)17, 53)));
        // racoonctl's f_exchangesa appends -n's remote name to isakmp requests only.
        Assert.That(request.Payload[AdminIndexes.Size..], Is.Empty);
        var (_, _, _, isakmp) = Run("establish-sa -n peer1 isakmp inet 10.77.0.1 10.77.0.2");
        Assert.That(isakmp.Requests.Single().Payload[AdminIndexes.Size..], Is.EqualTo("peer1\0"u8.ToArray()));
    }

    [Test]
    public void DaemonErrnoBecomesKmpstatErrorAndExitOneButEexistIsSuccess()
    {
        var (code, _, err, _) = Run("es isakmp inet 10.77.0.1 10.77.0.2", (h, _) => AdminHeader.Reply(h.BareCommand, h.Proto, AdminErrno.ENOENT, []));
        Assert.That((code, err), Is.EqualTo((1, "racoonctl: kmpstat: No such file or directory\n")));
        var (exists, _, _, _) = Run("es isakmp inet 10.77.0.1 10.77.0.2", (h, _) => AdminHeader.Reply(h.BareCommand, h.Proto, AdminErrno.EEXIST, []));
        Assert.That(exists, Is.Zero);
    }

    [Test]
    public void UsageErrorsAreRacoonctls()
    {
        var (code, output, err, racoon) = Run("frobnicate");
        Assert.That((code, output, err), Is.EqualTo((1, "Invalid command [frobnicate]\n", "racoonctl: kmpstat: Invalid argument\n")));
        Assert.That(racoon.Requests, Is.Empty);
        var (missing, _, missingErr, _) = Run("show-sa");
        Assert.That((missing, missingErr), Is.EqualTo((1, "racoonctl: insufficient arguments\n")));
        var (none, usage, _, _) = Run("");
        Assert.That(none, Is.Zero);
        Assert.That(usage, Does.StartWith("Usage: racoonctl"));
    }

    [Test]
    public void UnreachableSocketIsAClearError()
    {
        var stderr = new StringWriter();
        var code = RacoonctlCli.Run(["-s", "/nonexistent/racoon.sock", "show-sa", "isakmp"], new StringWriter(), stderr);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr.ToString(), Does.StartWith("racoonctl: /nonexistent/racoon.sock: "));
    }
}
