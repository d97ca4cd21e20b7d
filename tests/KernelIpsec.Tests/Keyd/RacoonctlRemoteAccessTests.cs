using System.Buffers.Binary;
using System.Net;
using System.Text;
using KernelIpsec.Keyd.AdminProtocol;
using KernelIpsec.Keyd.Ctl;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd;

/// <summary>racoonctl's remote-access commands: what they send racoon and what they print.</summary>
[TestFixture, Category(Tier.Unit)]
public class RacoonctlRemoteAccessTests
{
    private static readonly IPEndPoint Client = new(IPAddress.Parse("127.0.0.1"), 500);
    private static readonly IPEndPoint Gateway = new(IPAddress.Parse("127.0.0.2"), 500);

    private sealed record Run(int Code, string Out, string Err, byte[] Request);

    private static Run Racoonctl(string[] command, string? password = null, params byte[][] messages)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        byte[] request = [];
        IEnumerable<byte[]> Reply(byte[] bytes)
        {
            request = bytes;
            return messages;
        }
        var code = RacoonctlCli.Run(["-s", "/tmp/r.sock", .. command], stdout, stderr, (_, bytes) =>
        {
            request = bytes;
            return messages.Length > 0 ? messages[0] : AdminHeader.Reply(AdminHeader.Read(bytes).BareCommand, 0, 0, []);
        }, TimeZoneInfo.Utc, (_, bytes) => Reply(bytes), _ => password ?? throw new AssertionException("no password prompt expected"));
        return new Run(code, stdout.ToString(), stderr.ToString(), request);
    }

    private static byte[] ModeCfgEvent(params byte[] attributes) =>
        new EventDump(EventType.Phase1ModeCfg, 1, Client, Gateway, 0) { Attributes = attributes }.ToMessage();

    private static byte[] Attribute(ushort type, byte[] value)
    {
        var bytes = new byte[4 + value.Length];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, type);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)value.Length);
        value.CopyTo(bytes, 4);
        return bytes;
    }

    [Test]
    public void VpnConnectWithALoginSendsEstablishSaPskWithTheLoginAndThePassword()
    {
        var run = Racoonctl(["vpn-connect", "-u", "ikev1rig", "127.0.0.2"], "ikev1-rig-xauth-pw-4567",
            AdminHeader.Reply(AdminCommand.EstablishSaPsk, AdminProto.Isakmp, 0, []),
            new EventDump(EventType.Phase1Up, 1, Client, Gateway, 0).ToMessage(),
            ModeCfgEvent([.. Attribute(1, [10, 77, 8, 1]), .. Attribute(3, [10, 77, 8, 53])]));

        Assert.That((run.Code, run.Out, run.Err), Is.EqualTo((0, "VPN connexion established\n", "")));
        var header = AdminHeader.Read(run.Request);
        Assert.That((header.Command, header.Proto), Is.EqualTo((AdminCommand.EstablishSaPsk | AdminCommand.FlagVersion, AdminProto.Isakmp)));
        var indexes = AdminIndexes.Read(run.Request.AsSpan(AdminHeader.Size));
        Assert.That((indexes.Source.Address, indexes.Destination.Address), Is.EqualTo((IPAddress.Parse("127.0.0.1"), IPAddress.Parse("127.0.0.2"))),
            "from the address the kernel would use to reach the gateway");
        var psk = run.Request.AsSpan(AdminHeader.Size + AdminIndexes.Size);
        Assert.That(BinaryPrimitives.ReadInt32LittleEndian(psk), Is.EqualTo(2), "IDTYPE_USERFQDN");
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(psk[8..]), Is.EqualTo(9), "\"ikev1rig\" and its NUL");
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(psk[16..]), Is.EqualTo(24));
        Assert.That(Encoding.UTF8.GetString(psk[24..]), Is.EqualTo("ikev1rig\0ikev1-rig-xauth-pw-4567\0"));
    }

    [Test]
    public void VpnConnectWithoutALoginSendsEstablishSaAndAlsoWaitsForModeConfig()
    {
        var run = Racoonctl(["vpn-connect", "127.0.0.2", "extra"], null,
            AdminHeader.Reply(AdminCommand.EstablishSa, AdminProto.Isakmp, 0, []),
            new EventDump(EventType.Phase1Up, 1, Client, Gateway, 0).ToMessage(),
            ModeCfgEvent());

        Assert.That((run.Code, run.Out, run.Err), Is.EqualTo((0, "VPN connexion established\n", "racoonctl: Extra arguments\n")));
        Assert.That(AdminHeader.Read(run.Request).BareCommand, Is.EqualTo(AdminCommand.EstablishSa));
        Assert.That(run.Request.Length, Is.EqualTo(AdminHeader.Size + AdminIndexes.Size));
    }

    [Test]
    public void AMalformedAttributeListPrintsWhatRacoonctlPrints()
    {
        var run = Racoonctl(["vpn-connect", "-u", "u", "127.0.0.2"], "p",
            AdminHeader.Reply(AdminCommand.EstablishSaPsk, AdminProto.Isakmp, 0, []),
            ModeCfgEvent([.. Attribute(1, [10, 77, 8, 1]), 0x00, 0x1c, 0x00, 0x40]));

        Assert.That((run.Code, run.Out), Is.EqualTo((0, "long attribute too long\nBound to address 10.77.8.1\n")));
    }

    [Test]
    public void TheBannerIsPrintedAfterTheConnection()
    {
        var run = Racoonctl(["vpn-connect", "127.0.0.2"], null,
            AdminHeader.Reply(AdminCommand.EstablishSa, AdminProto.Isakmp, 0, []),
            ModeCfgEvent(Attribute(28672, Encoding.UTF8.GetBytes("Authorised users only"))));

        Assert.That(run.Out, Does.StartWith("VPN connexion established\n").And.Contains("\nAuthorised users only\n"));
    }

    [Test]
    public void EstablishSaMinusUMinusWWaitsForModeConfigAndMinusNIsNotSentWithALogin()
    {
        var run = Racoonctl(["establish-sa", "-u", "ikev1rig", "-n", "gw", "-w", "isakmp", "inet", "127.0.0.1", "127.0.0.2"], "",
            AdminHeader.Reply(AdminCommand.EstablishSaPsk, AdminProto.Isakmp, 0, []), ModeCfgEvent());

        Assert.That((run.Code, run.Out), Is.EqualTo((0, "VPN connexion established\n")));
        Assert.That(Encoding.UTF8.GetString(run.Request.AsSpan(AdminHeader.Size + AdminIndexes.Size + AdminPsk.Size)), Is.EqualTo("ikev1rig\0\0"),
            "an empty password (getpass at end of input) and no remote name");
    }

    [Test]
    public void ArgumentErrorsAreRacoonctls()
    {
        Assert.That(Racoonctl(["vpn-connect"]) is { Code: 1, Err: "racoonctl: insufficient arguments\n" });
        Assert.That(Racoonctl(["vpn-connect", "-u"]) is { Code: 1, Err: "racoonctl: -u require an argument\n" });
        Assert.That(Racoonctl(["vpn-connect", "-u", "ikev1rig"]) is { Code: 1, Err: "racoonctl: VPN gateway required\n" });
        Assert.That(Racoonctl(["vpn-disconnect"]) is { Code: 1, Err: "racoonctl: VPN gateway required\n" });
        Assert.That(Racoonctl(["logout-user"]) is { Code: 1, Err: "racoonctl: insufficient arguments\n" });
        Assert.That(Racoonctl(["logout-user", new string('x', 32)]) is { Code: 1, Err: "racoonctl: bad login (too long?)\n" });
    }

    [Test]
    public void LogoutUserSendsTheLoginWithoutItsNul()
    {
        var run = Racoonctl(["logout-user", "ikev1rig"]);

        Assert.That((run.Code, run.Out, run.Err), Is.EqualTo((0, "", "")));
        var header = AdminHeader.Read(run.Request);
        Assert.That((header.BareCommand, header.Proto, header.Length), Is.EqualTo((AdminCommand.LogoutUser, (ushort)0, (ushort)(AdminHeader.Size + 8))));
        Assert.That(Encoding.UTF8.GetString(run.Request.AsSpan(AdminHeader.Size)), Is.EqualTo("ikev1rig"));
    }
}
