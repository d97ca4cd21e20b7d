using System.Net;
using System.Text;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.InMemory;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.Model.Algorithms;
using KernelIpsec.Netlink.PfKey;
using KernelIpsec.Setkey.Dump.Kdebug;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Setkey;

/// <summary>
/// -v, -H, -x and `setkey FILE…` over the in-memory kernel: the PF_KEY messages each operation corresponds to in
/// kdebug_sadb form, the -H bytes, the monitor's timestamp lines, saved messages as -D/-DP records.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class SetkeyDebugOutputTests
{
    private InMemoryKernel kernel = null!;
    private SetkeyHarness setkey = null!;

    [SetUp]
    public void SetUp()
    {
        kernel = new InMemoryKernel();
        setkey = new SetkeyHarness(kernel);
    }

    [TearDown]
    public async Task TearDown() => await kernel.DisposeAsync();

    private const string Addresses = """
        sadb_ext{ len=3 type=5 }
        sadb_address{ proto=255 prefixlen=32 reserved=0x0000 }
        sockaddr{ len=16 family=2 port=0
         0a000001  }
        sadb_ext{ len=3 type=6 }
        sadb_address{ proto=255 prefixlen=32 reserved=0x0000 }
        sockaddr{ len=16 family=2 port=0
         0a000002  }
        """;

    private const string NoLimits = """
        sadb_lifetime{ alloc=0, bytes=0
          addtime=0, usetime=0 }
        """;

    /// <summary>Each request as setkey sends it and af_key's answer, each followed by an empty line; an error answer carries errno.</summary>
    [Test]
    public void VerboseShowsEveryMessageSentAndReceived()
    {
        var r = setkey.WithFile("s.conf", """
            spdadd 10.0.0.1 10.0.0.2 any -P out none;
            flush;
            delete 10.0.0.1 10.0.0.2 esp 0x999;
            """).Run("-v -f s.conf");
        Assert.Multiple(() =>
        {
            Assert.That(r.StdOut, Is.EqualTo($$"""
                sadb_msg{ version=2 type=14 errno=0 satype=0
                  len=10 reserved=0 seq=0 pid=4242
                sadb_ext{ len=2 type=18 }
                sadb_x_policy{ type=1 dir=2 id=0 priority=2147483648 }
                {{Addresses}}

                sadb_msg{ version=2 type=14 errno=0 satype=0
                  len=22 reserved=0 seq=0 pid=4242
                {{Addresses}}
                sadb_ext{ len=4 type=3 }
                {{NoLimits}}
                sadb_ext{ len=4 type=4 }
                {{NoLimits}}
                sadb_ext{ len=4 type=2 }
                {{NoLimits}}
                sadb_ext{ len=2 type=18 }
                sadb_x_policy{ type=1 dir=2 id=0 priority=2147483648 }

                sadb_msg{ version=2 type=9 errno=0 satype=0
                  len=2 reserved=0 seq=0 pid=4242

                sadb_msg{ version=2 type=9 errno=0 satype=0
                  len=2 reserved=0 seq=0 pid=4242

                sadb_msg{ version=2 type=4 errno=0 satype=3
                  len=12 reserved=0 seq=0 pid=4242
                sadb_ext{ len=2 type=1 }
                sadb_sa{ spi=2457 replay=0 state=0
                  auth=0 encrypt=0 flags=0x00000040 }
                sadb_ext{ len=2 type=19 }
                sadb_x_sa2{ mode=0 reqid=0
                  reserved1=0 reserved2=0 sequence=0 }
                {{Addresses}}

                sadb_msg{ version=2 type=4 errno=2 satype=3
                  len=2 reserved=0 seq=0 pid=4242


                """));
            Assert.That((r.ExitCode, r.StdErr), Is.EqualTo((1, "setkey: s.conf,3: No entry.\n")));
        });
    }

    /// <summary>-H prints each request's bytes before it is sent (16 to a line, offsets first).</summary>
    [Test]
    public void HexDumpShowsEachRequestsBytes()
    {
        var r = setkey.WithFile("s.conf", "spdflush;\n").Run("-H -f s.conf");
        Assert.That((r.ExitCode, r.StdOut, r.StdErr), Is.EqualTo((0, "00000000: 02 13 00 00 02 00 00 00 00 00 00 00 92 10 00 00 \n", "")));
    }

    /// <summary>-n sends nothing, so -v has nothing to show (as the reference).</summary>
    [Test]
    public void NoActionShowsNoMessages()
    {
        var r = setkey.WithFile("s.conf", "spdflush;\n").Run("-n -v -f s.conf");
        Assert.That((r.ExitCode, r.StdOut), Is.EqualTo((0, "")));
    }

    /// <summary>-D -v: the SADB_DUMP request and each record (numbered down to 0) before the -D text.</summary>
    [Test]
    public void VerboseDumpShowsRequestAndRecords()
    {
        setkey.WithFile("s.conf", "add 10.0.0.1 10.0.0.2 ah 0x200 -A hmac-md5 \"1234567890123456\";\n").Run("-f s.conf");
        var plain = setkey.Run("-D").StdOut;
        var verbose = setkey.Run("-D -v").StdOut;
        Assert.Multiple(() =>
        {
            Assert.That(verbose, Does.StartWith("sadb_msg{ version=2 type=10 errno=0 satype=0\n  len=2 reserved=0 seq=0 pid=4242\n\nsadb_msg{ version=2 type=10 errno=0 satype=2\n"));
            Assert.That(verbose, Does.Contain("sadb_key{ bits=128 reserved=0\n  key= 31323334 35363738 39303132 33343536 }\n"));
            Assert.That(verbose, Does.EndWith("\n\n" + plain));
        });
    }

    private static KdebugMonitor Monitor(StringWriter output, bool hexDump = false, bool raw = false) =>
        new(output, output, hexDump, raw, new FixedTime(SetkeyHarness.Now), TimeZoneInfo.Utc);

    /// <summary>-x over XFRM: an SA added is shown as af_key's SADB_ADD broadcast (state mature, keys, lifetimes, upper protocol 0).</summary>
    [Test]
    public void MonitorShowsAnXfrmEventAsItsPfKeyMessage()
    {
        var sa = new SecurityAssociation(IPAddress.Parse("10.0.0.2"), IPAddress.Parse("10.0.0.1"), IpsecProtocol.Ah, 0x200)
        {
            Mode = IpsecMode.Transport,
            Authentication = new SaAlgorithm(AlgorithmRegistry.Get(AlgorithmKind.Authentication, "hmac-md5"), Encoding.ASCII.GetBytes("1234567890123456")),
            Current = new LifetimeCurrent(0, 0, SetkeyHarness.Now, null),
        };
        var output = new StringWriter { NewLine = "\n" };
        Monitor(output).Show(new SaAddedEvent(sa));
        Assert.That(output.ToString(), Is.EqualTo($$"""
            12:49:59.000000 
            sadb_msg{ version=2 type=3 errno=0 satype=2
              len=27 reserved=0 seq=0 pid=0
            sadb_ext{ len=2 type=1 }
            sadb_sa{ spi=512 replay=0 state=1
              auth=2 encrypt=0 flags=0x00000000 }
            sadb_ext{ len=4 type=3 }
            {{NoLimits}}
            sadb_ext{ len=4 type=4 }
            {{NoLimits}}
            sadb_ext{ len=4 type=2 }
            sadb_lifetime{ alloc=0, bytes=0
              addtime=1795438199, usetime=0 }
            sadb_ext{ len=3 type=5 }
            sadb_address{ proto=0 prefixlen=32 reserved=0x0000 }
            sockaddr{ len=16 family=2 port=0
             0a000002  }
            sadb_ext{ len=3 type=6 }
            sadb_address{ proto=0 prefixlen=32 reserved=0x0000 }
            sockaddr{ len=16 family=2 port=0
             0a000001  }
            sadb_ext{ len=3 type=8 }
            sadb_key{ bits=128 reserved=0
              key= 31323334 35363738 39303132 33343536 }
            sadb_ext{ len=2 type=19 }
            sadb_x_sa2{ mode=1 reqid=0
              reserved1=0 reserved2=0 sequence=0 }


            """));
    }

    /// <summary>-xx: the time as seconds.microseconds since the epoch.</summary>
    [Test]
    public void DoubleXPrintsRawTimestamps()
    {
        var output = new StringWriter { NewLine = "\n" };
        Monitor(output, raw: true).Show(new PoliciesFlushedEvent());
        Assert.That(output.ToString(), Is.EqualTo("1795438199.000000 \nsadb_msg{ version=2 type=19 errno=0 satype=0\n  len=2 reserved=0 seq=0 pid=0\n\n"));
    }

    /// <summary>-x -H: the bytes after the time line; the monitor's own X_PROMISC echo shows nothing more.</summary>
    [Test]
    public void MonitorHexDumpAndThePromiscEcho()
    {
        var echo = new byte[] { 2, 11, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0 };
        var output = new StringWriter { NewLine = "\n" };
        Monitor(output, hexDump: true).Show(new PfKeyMessageEvent(11, "SADB_X_PROMISC", 1, 0, 0, 1, echo, null));
        Assert.That(output.ToString(), Is.EqualTo("12:49:59.000000 \n00000000: 02 0b 00 01 02 00 00 00 00 00 00 00 01 00 00 00 \n"));
    }

    /// <summary>setkey FILE: saved dump records print as -D/-DP would, with the records' own seq and pid; an error answer as its message.</summary>
    [Test]
    public async Task SavedMessagesPrintAsDumpRecords()
    {
        setkey.WithFile("s.conf", """
            add 10.0.0.1 10.0.0.2 esp 0x100 -E 3des-cbc "123456789012123456789012" -A hmac-sha1 "12345678901234567890";
            spdadd 10.1.0.0/16 10.2.0.0/16 tcp -P out ipsec esp/tunnel/10.0.0.1-10.0.0.2/require;
            """).Run("-f s.conf");
        var sas = await kernel.DumpSasAsync();
        var policies = await kernel.DumpPoliciesAsync();
        byte[] saved = [.. SadbWire.SaRecord(SadbType.Dump, sas[0], 0, 4242), .. SadbWire.PolicyRecord(SadbType.SpdDump, policies[0], 0, 4242),
            .. SadbWire.Header(SadbType.Dump, null, 0, 4242, errno: 2)];
        var r = setkey.WithBinaryFile("dump.bin", saved).Run("dump.bin");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(0), r.StdErr);
            Assert.That(r.StdOut, Is.EqualTo(setkey.Run("-D").StdOut + setkey.Run("-DP").StdOut + "No SAD entries.\n"));
        });
    }

    [Test]
    public async Task SavedDeadSasShowOnlyWithA()
    {
        setkey.WithFile("s.conf", "add 10.0.0.1 10.0.0.2 ah 0x200 -A hmac-md5 \"1234567890123456\";\n").Run("-f s.conf");
        var record = SadbWire.SaRecord(SadbType.Dump, (await kernel.DumpSasAsync())[0], 0, 4242);
        record[16 + 9] = 3; // sadb_sa_state DEAD
        setkey.WithBinaryFile("dead.bin", record);
        Assert.Multiple(() =>
        {
            Assert.That(setkey.Run("dead.bin").StdOut, Is.Empty);
            Assert.That(setkey.Run("-a dead.bin").StdOut, Does.StartWith("10.0.0.1 10.0.0.2 \n\tah mode=transport spi=512(0x00000200)"));
        });
    }

    [TestCase(10, "setkey: bad.bin: 10 bytes are too few for a PF_KEY message (sadb_msg is 16)\n")]
    [TestCase(20, "setkey: bad.bin: 4 stray bytes at byte 16 after the last message\n")]
    public void SavedMessagesThatAreCutShortAreErrors(int length, string message)
    {
        byte[] bytes = [.. SadbWire.Header(SadbType.Flush, null, 0, 1), .. new byte[16]];
        var r = setkey.WithBinaryFile("bad.bin", bytes[..length]).Run("bad.bin");
        Assert.That((r.ExitCode, r.StdErr), Is.EqualTo((1, message)));
    }

    [Test]
    public void SavedMessageRecordRunningPastTheFile()
    {
        var bytes = SadbWire.Header(SadbType.Flush, null, 0, 1);
        bytes[4] = 9;
        var r = setkey.WithBinaryFile("bad.bin", bytes).Run("bad.bin");
        Assert.That((r.ExitCode, r.StdErr), Is.EqualTo((1, "setkey: bad.bin: message at byte 0: sadb_msg_len 9 words (72 bytes) is outside 16..16\n")));
    }

    [Test]
    public void MissingSavedMessageFile()
    {
        var r = setkey.Run("none.bin");
        Assert.That((r.ExitCode, r.StdErr), Is.EqualTo((1, "setkey: none.bin: No such file or directory\n")));
    }
}
