using System.Net;
using KernelIpsec.Keyd.Daemon;
using KernelIpsec.Keyd.State;
using KernelIpsec.Netlink;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.Model.Algorithms;
using KernelIpsec.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd;

/// <summary>What racoon keeps on disk about its SAs: `path backupsa` (racoon's line format, -B) and the list of its own SAs (crash clean-up).</summary>
[TestFixture, Category(Tier.Unit)]
public class SaRecordsTests
{
    private static readonly IPAddress Left = IPAddress.Parse("10.77.0.1");
    private static readonly IPAddress Right = IPAddress.Parse("10.77.0.2");
    private static readonly DateTimeOffset Created = new(2026, 11, 3, 8, 5, 7, TimeSpan.Zero);

    private static byte[] Bytes(int from, int count) => Enumerable.Range(from, count).Select(i => (byte)i).ToArray();

    private static SecurityAssociation EspSa(uint spi = 0x7000) => new(Left, Right, IpsecProtocol.Esp, spi)
    {
        Mode = IpsecMode.Transport,
        ReqId = 3,
        ReplayWindow = 4,
        Encryption = new SaAlgorithm(AlgorithmRegistry.Get(AlgorithmKind.Encryption, "3des-cbc"), Bytes(0, 24)),
        Authentication = new SaAlgorithm(AlgorithmRegistry.Get(AlgorithmKind.Authentication, "hmac-sha1"), Bytes(24, 20)),
        Lifetime = new Lifetime(new LifetimeLimits(AddSeconds: 480), new LifetimeLimits(AddSeconds: 600)),
    };

    private const string EspLine = "Nov 03 08:05:07 2026%10.77.0.1 10.77.0.2 3 28672 1 3 4 3 24 3 20 0 0 0 600 0 0 " +
        "0001020304050607 08090a0b0c0d0e0f 1011121314151617 18191a1b1c1d1e1f 2021222324252627 28292a2b";

    [Test]
    public void AnEstablishedSaIsWrittenAsRacoonsBackupLine()
    {
        Assert.That(new BackupSaLine(Created, EspSa()).Format(TimeZoneInfo.Utc), Is.EqualTo(EspLine));
    }

    [Test]
    public void TheLineReadsBackToTheSameSaWithItsHardLifetime()
    {
        var read = BackupSaLine.Parse(EspLine, TimeZoneInfo.Utc);

        Assert.That(read.Created, Is.EqualTo(Created));
        Assert.That(read.Sa, Is.EqualTo(EspSa() with { Lifetime = new Lifetime(null, new LifetimeLimits(AddSeconds: 600)) }));
    }

    [Test]
    public void TimeIsLocalTimeAsStrftimeWritesIt()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("plus2", TimeSpan.FromHours(2), "plus2", "plus2");
        var line = new BackupSaLine(Created, EspSa()).Format(zone)!;

        Assert.That(line, Does.StartWith("Nov 03 10:05:07 2026%"));
        Assert.That(BackupSaLine.Parse(line, zone).Created, Is.EqualTo(Created));
    }

    [Test]
    public void ALineAsRacoonWroteItForAesSha256TunnelAndIpcompReads()
    {
        // AES-128 (SADB_X_EALG_AESCBC 12) with HMAC-SHA-256 (SADB_X_AALG_SHA2_256 5), tunnel mode, keys written 8 bytes a group.
        var tunnel = BackupSaLine.Parse("Jan 01 00:00:00 2027%fd77::1 fd77::2 3 4096 2 7 32 12 16 5 32 0 0 0 3600 0 0 " +
            "aaaaaaaaaaaaaaaa aaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbb bbbbbbbbbbbbbbbb bbbbbbbbbbbbbbbb bbbbbbbbbbbbbbbb ", TimeZoneInfo.Utc);
        Assert.That((tunnel.Sa.Id.Source.ToString(), tunnel.Sa.Mode, tunnel.Sa.ReqId, tunnel.Sa.ReplayWindow), Is.EqualTo(("fd77::1", IpsecMode.Tunnel, 7u, 32u)));
        Assert.That((tunnel.Sa.Encryption!.Algorithm.Name, tunnel.Sa.Encryption.KeyBits, tunnel.Sa.Authentication!.Algorithm.Name, tunnel.Sa.Authentication.IcvBits),
            Is.EqualTo(("aes-cbc", 128, "hmac-sha256", 128)));
        Assert.That(BackupSaLine.Parse(tunnel.Format(TimeZoneInfo.Utc)!, TimeZoneInfo.Utc, KernelCapabilities.PfKey).Sa.Authentication!.IcvBits, Is.EqualTo(96), "over PF_KEY Linux's own truncation");

        var ipcomp = BackupSaLine.Parse("Jan 01 00:00:00 2027%10.77.0.1 10.77.0.2 9 50000 1 3 0 2 0 0 0 0 0 0 600 0 0 ", TimeZoneInfo.Utc);
        Assert.That((ipcomp.Sa.Id.Protocol, ipcomp.Sa.Compression!.Algorithm.Name), Is.EqualTo((IpsecProtocol.IpComp, "deflate")));
        Assert.That(ipcomp.Format(TimeZoneInfo.Utc), Is.EqualTo("Jan 01 00:00:00 2027%10.77.0.1 10.77.0.2 9 50000 1 3 0 2 0 0 0 0 0 0 600 0 0 "));
    }

    [TestCase("Nov 3 08:05:07 2026%10.77.0.1", "time \"Nov 3 08:05:07 2026\" is not like \"Nov 24 18:22:48 1986\"")]
    [TestCase("Nov 03 08:05:07 2026 10.77.0.1", "no '%' after the time")]
    [TestCase("Nov 03 08:05:07 2026%10.77.0.1 10.77.0.2 5 1 1 3 4 3 24 3 20 0 0 0 600 0 0 00", "satype 5 is not AH (2), ESP (3) or IPCOMP (9)")]
    [TestCase("Nov 03 08:05:07 2026%10.77.0.1 host.example 3 1 1 3 4 3 24 3 20 0 0 0 600 0 0 00", "destination address \"host.example\" is not a numeric address")]
    [TestCase("Nov 03 08:05:07 2026%10.77.0.1 10.77.0.2 3 1 1 3 4 3 24 3 20 0 0 0 600 0 0 0011", "keymat has 2 bytes, e_keylen + a_keylen say 44")]
    [TestCase("Nov 03 08:05:07 2026%10.77.0.1 10.77.0.2 3 1 1 3 4 99 1 3 20 0 0 0 600 0 0 " + "00 0102030405060708090a0b0c0d0e0f1011121314", "unknown encryption algorithm 99")]
    public void BadLinesSayWhatIsWrong(string line, string message)
    {
        Assert.That(() => BackupSaLine.Parse(line, TimeZoneInfo.Utc), Throws.TypeOf<FormatException>().With.Message.EqualTo(message));
    }

    [Test]
    public void RestoreSkipsExpiredSasAndGivesTheOthersWhatIsLeft()
    {
        var line = new BackupSaLine(Created, EspSa());

        var restored = line.Remaining(Created.AddSeconds(100))!;
        Assert.That((restored.Lifetime.Hard.AddSeconds, restored.Lifetime.Soft.AddSeconds), Is.EqualTo((500ul, 400ul)));
        Assert.That(restored.Encryption, Is.EqualTo(EspSa().Encryption), "same keys: the peer still has the other end");
        Assert.That(line.Remaining(Created.AddSeconds(600)), Is.Null, "its time is up");
        Assert.That(line.Remaining(Created.AddSeconds(601)), Is.Null);
        var unlimited = new BackupSaLine(Created, EspSa() with { Lifetime = Lifetime.Unlimited });
        Assert.That(unlimited.Remaining(Created.AddDays(3))!.Lifetime.Hard.AddSeconds, Is.Zero, "no time limit: restored as it was");
    }

    [Test]
    public void ANatTraversalSaIsItsRacoonLineAfterANatTCommentRacoonSkips()
    {
        var natt = EspSa() with { NatTraversal = new NatTraversal(EncapsulationType.EspInUdp, 31000, 4500, IPAddress.Parse("192.168.1.10")) };

        Assert.That(new BackupSaLine(Created, natt).Format(TimeZoneInfo.Utc), Is.EqualTo("#nat_t 2 31000 4500 192.168.1.10\n" + EspLine),
            "the SA line itself is the one racoon writes and reads; racoon's reader skips '#' lines");
        Assert.That(new BackupSaLine(Created, EspSa() with { NatTraversal = new NatTraversal(EncapsulationType.EspInUdp, 4500, 4500) }).Format(TimeZoneInfo.Utc),
            Is.EqualTo("#nat_t 2 4500 4500\n" + EspLine), "no original address: none written");
    }

    [Test]
    public void NatTraversalSasRoundTripThroughTheBackupFile()
    {
        var path = Path.Combine(dir.FullName, "backupsa");
        var inbound = EspSa(0x4000) with { Id = new SaId(Right, Left, IpsecProtocol.Esp, 0x4000), NatTraversal = new NatTraversal(EncapsulationType.EspInUdp, 31000, 4500, Left) };
        var outbound = EspSa(0x5000) with { NatTraversal = new NatTraversal(EncapsulationType.EspInUdp, 4500, 31000, IPAddress.Parse("192.168.1.10")) };
        var plain = EspSa(0x6000);

        Assert.That(BackupSaFile.Write(path, [new(Created, inbound), new(Created, outbound), new(Created, plain)], TimeZoneInfo.Utc, 42), Is.Empty, "nothing left out");
        var read = BackupSaFile.Read(path, TimeZoneInfo.Utc, KernelCapabilities.Xfrm);

        Assert.That(read.Select(r => r.Problem), Is.All.Null);
        Assert.That(read.Select(r => r.Line), Is.EqualTo(new[] { 3, 5, 6 }), "each SA line after its #nat_t line");
        Assert.That(read.Select(r => r.Entry!.Sa.NatTraversal), Is.EqualTo(new[] { inbound.NatTraversal, outbound.NatTraversal, null }));
        Assert.That(read[0].Entry!.Sa, Is.EqualTo(inbound with { Lifetime = new Lifetime(null, inbound.Lifetime.Hard) }));
        Assert.That(read[0].Entry!.Remaining(Created.AddSeconds(10))!.NatTraversal, Is.EqualTo(inbound.NatTraversal), "-B installs it encapsulated");
    }

    [TestCase("#nat_t 2 4500", "#nat_t: 2 fields, need type, source port, destination port and an optional original address")]
    [TestCase("#nat_t 7 4500 4500", "NAT-T type 7 is not ESP in UDP (2) or non-IKE (1)")]
    [TestCase("#nat_t 2 70000 4500", "NAT-T source port 70000 is not a UDP port")]
    [TestCase("#nat_t 2 4500 4500 nat.example", "NAT-T original address \"nat.example\" is not a numeric address")]
    public void AnUnreadableNatTLineSpoilsItsSaAndNoOther(string comment, string problem)
    {
        var path = Path.Combine(dir.FullName, "backupsa");
        BackupSaFile.Write(path, [new(Created, EspSa())], TimeZoneInfo.Utc, 42);
        File.AppendAllText(path, comment + "\n" + EspLine.Replace(" 28672 ", " 28673 ", StringComparison.Ordinal) + "\n" + EspLine.Replace(" 28672 ", " 28674 ", StringComparison.Ordinal) + "\n");

        var read = BackupSaFile.Read(path, TimeZoneInfo.Utc, KernelCapabilities.Xfrm);

        Assert.That(read.Select(r => (r.Line, r.Entry?.Sa.Id.Spi, r.Problem)), Is.EqualTo(new[]
        {
            (2, (uint?)0x7000, (string?)null),
            (3, null, problem),
            (4, null, "its #nat_t line is unreadable: " + problem),
            (5, 0x7002, null),
        }));
        Assert.That(read[^1].Entry!.Sa.NatTraversal, Is.Null);
    }

    private DirectoryInfo dir = null!;

    [SetUp]
    public void CreateDirectory() => dir = Directory.CreateTempSubdirectory("keyd-records");

    [TearDown]
    public void RemoveDirectory() => dir.Delete(recursive: true);

    [Test]
    public void TheBackupFileIsASecretFileAndItsBadLinesAreNamed()
    {
        var path = Path.Combine(dir.FullName, "backupsa");
        BackupSaFile.Write(path, [new BackupSaLine(Created, EspSa())], TimeZoneInfo.Utc, 42);
        File.AppendAllText(path, "garbage\n");

        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(File.ReadAllLines(path)[0], Does.StartWith("#"));
        var read = BackupSaFile.Read(path, TimeZoneInfo.Utc, KernelCapabilities.Xfrm);
        Assert.That(read.Select(r => (r.Line, r.Entry?.Sa.Id.Spi, r.Problem)), Is.EqualTo(new[] { (2, (uint?)0x7000, (string?)null), (3, null, "no '%' after the time") }));

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        Assert.That(() => BackupSaFile.Read(path, TimeZoneInfo.Utc, KernelIpsec.Netlink.KernelCapabilities.Xfrm), Throws.TypeOf<IOException>().With.Message.StartsWith($"failed to open the backup file {path}: {path} has weak file permission 0640"));
        Assert.That(() => BackupSaFile.Read(path + ".missing", TimeZoneInfo.Utc, KernelIpsec.Netlink.KernelCapabilities.Xfrm), Throws.TypeOf<IOException>().With.Message.StartsWith("failed to open the backup file"));
    }

    [Test]
    public void TheOwnedSaListReadsBackAndSkipsWhatIsNotARecord()
    {
        var path = Path.Combine(dir.FullName, "racoon.sas");
        var ids = new[] { new SaId(Left, Right, IpsecProtocol.Esp, 0x7000), new SaId(IPAddress.Parse("fd77::2"), IPAddress.Parse("fd77::1"), IpsecProtocol.Ah, 0xc0de) };
        OwnedSaFile.Write(path, ids);
        File.AppendAllText(path, "esp 10.77.0.1\n");

        Assert.That(File.ReadAllText(path), Does.Contain("esp 10.77.0.1 10.77.0.2 0x00007000\nah fd77::2 fd77::1 0x0000c0de\n"));
        var bad = new List<int>();
        Assert.That(OwnedSaFile.Read(path, (line, _) => bad.Add(line)), Is.EqualTo(ids));
        Assert.That(bad, Is.EqualTo(new[] { 4 }));
        Assert.That(OwnedSaFile.Read(Path.Combine(dir.FullName, "none"), (_, _) => { }), Is.Empty);
    }

    [Test]
    public void InstalledSasKeepBothFilesCurrentAndACleanExitRemovesThem()
    {
        var owned = Path.Combine(dir.FullName, "racoon.sas");
        var backup = Path.Combine(dir.FullName, "backupsa");
        var installed = new InstalledSas(new SaJournal(owned, backup, TimeZoneInfo.Utc, NullLogger.Instance));

        installed.Add(new SaId(Right, Left, IpsecProtocol.Esp, 0x4000));
        Assert.That(File.ReadAllLines(owned).Skip(1), Is.EqualTo(new[] { "esp 10.77.0.2 10.77.0.1 0x00004000" }));
        Assert.That(File.ReadAllLines(backup).Skip(1), Is.Empty, "a larval SA has no keys to save");

        installed.Add(EspSa());
        Assert.That(File.ReadAllLines(owned).Length, Is.EqualTo(3));
        Assert.That(BackupSaFile.Read(backup, TimeZoneInfo.Local, KernelIpsec.Netlink.KernelCapabilities.Xfrm).Single().Entry!.Sa.Id, Is.EqualTo(EspSa().Id));

        installed.Remove(EspSa().Id);
        Assert.That(BackupSaFile.Read(backup, TimeZoneInfo.Local, KernelIpsec.Netlink.KernelCapabilities.Xfrm), Is.Empty);
        installed.Closed();
        Assert.That((File.Exists(owned), File.Exists(backup)), Is.EqualTo((false, false)));
    }
}
