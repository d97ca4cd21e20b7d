using System.Net;
using KernelIpsec.Netlink.InMemory;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Setkey.Cli;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Setkey;

/// <summary>The whole tool against the in-memory kernel: flags, exit status, messages, what reaches the kernel.</summary>
[TestFixture, Category(Tier.Unit)]
public class SetkeyCliTests
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

    private const string TwoSas =
        "add 10.0.0.1 10.0.0.2 esp 0x100 -E 3des-cbc \"123456789012123456789012\";\n" +
        "add 10.0.0.2 10.0.0.1 ah 0x200 -A hmac-md5 \"1234567890123456\";\n";

    [Test]
    public async Task ScriptIsApplied()
    {
        var r = setkey.WithFile("s.conf", TwoSas + "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//require;\n").Run("-f s.conf");
        Assert.Multiple(async () =>
        {
            Assert.That((r.ExitCode, r.StdOut, r.StdErr), Is.EqualTo((0, "", "")));
            Assert.That(await kernel.DumpSasAsync(), Has.Count.EqualTo(2));
            Assert.That(await kernel.DumpPoliciesAsync(), Has.Count.EqualTo(1));
        });
        await Task.CompletedTask;
    }

    [Test]
    public async Task SyntaxErrorAppliesNothingAndSaysWhereAndWhat()
    {
        var r = setkey.WithFile("s.conf", TwoSas + "bogus;\n").Run("-f s.conf");
        Assert.Multiple(async () =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(1));
            Assert.That(r.StdErr, Does.StartWith("setkey: s.conf,3: syntax error at `bogus'\nsetkey: s.conf,3:1: expected `add', "));
            Assert.That(r.StdErr, Does.EndWith("setkey: s.conf,3: parse failed, nothing applied\n"));
            Assert.That(await kernel.DumpSasAsync(), Is.Empty);
        });
        await Task.CompletedTask;
    }

    [Test]
    public async Task BadKeyLengthAppliesNothing()
    {
        var r = setkey.WithFile("s.conf", TwoSas + "add 1.1.1.1 2.2.2.2 esp 1 -E aes-cbc 0x0011;\n").Run("-f s.conf");
        Assert.Multiple(async () =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(1));
            Assert.That(r.StdErr, Does.StartWith("setkey: s.conf,3: Invalid key length at `0x0011'\nsetkey: s.conf,3:38: expected a key of 128, 192 or 256 bits for aes-cbc; this one has 16\n"));
            Assert.That(await kernel.DumpSasAsync(), Is.Empty);
        });
        await Task.CompletedTask;
    }

    [Test]
    public async Task KernelRefusalNamesTheLineAndTheErrnoAndGivesNonZeroExit()
    {
        var r = setkey.WithFile("s.conf", TwoSas + TwoSas.Split('\n')[0] + "\nspdflush;\n").Run("-f s.conf");
        Assert.Multiple(async () =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(1));
            Assert.That(r.StdErr, Is.EqualTo("setkey: s.conf,3: File exists\n"));
            // Without --atomic the other commands stay applied, as with the reference.
            Assert.That(await kernel.DumpSasAsync(), Has.Count.EqualTo(2));
        });
        await Task.CompletedTask;
    }

    [Test]
    public async Task AtomicRollsBackWhatTheRunApplied()
    {
        await kernel.AddPolicyAsync(new SecurityPolicy(new Selector(AddressPrefix.Parse("10.9.9.9"), AddressPrefix.Parse("10.9.9.8")), PolicyDirection.Out));
        var script = "spdflush;\n" + TwoSas + "delete 10.0.0.9 10.0.0.2 esp 0x999;\n";
        var r = setkey.WithFile("s.conf", script).Run("--atomic -f s.conf");
        Assert.Multiple(async () =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(1));
            Assert.That(r.StdErr, Is.EqualTo("setkey: s.conf,4: No entry.\nsetkey: s.conf: --atomic: rolled back 3 change(s) made by this run\n"));
            Assert.That(await kernel.DumpSasAsync(), Is.Empty);
            Assert.That((await kernel.DumpPoliciesAsync()).Single().Selector.Source.Address, Is.EqualTo(IPAddress.Parse("10.9.9.9")));
        });
        await Task.CompletedTask;
    }

    [Test]
    public async Task NoActionChecksWithoutTouchingTheKernel()
    {
        var backends = new KernelBackends();
        var ok = setkey.WithFile("s.conf", TwoSas + "delete 10.0.0.9 10.0.0.2 esp 0x100;\ndump;\n").Run("-n -f s.conf", kernelName: "pfkey");
        var bad = setkey.WithFile("b.conf", TwoSas + "add 1.1.1.1 2.2.2.2 esp 1 -E aes-cbc 0x0011;\n").Run("-n -f b.conf");
        var duplicate = setkey.WithFile("d.conf", TwoSas + TwoSas).Run("-n -f d.conf");
        Assert.Multiple(async () =>
        {
            Assert.That((ok.ExitCode, ok.StdOut, ok.StdErr), Is.EqualTo((0, "", "")));
            Assert.That(bad.ExitCode, Is.EqualTo(1));
            Assert.That(duplicate.StdErr, Is.EqualTo("setkey: d.conf,3: File exists\nsetkey: d.conf,4: File exists\n"));
            Assert.That(await kernel.DumpSasAsync(), Is.Empty);
        });
        await Task.CompletedTask;
    }

    [Test]
    public void PfKeyBackendIsReportedAsUnavailable()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var rc = SetkeyCli.Run(["--kernel", "pfkey", "-D"], new StringReader(""), stdout, stderr, new KernelBackends());
        Assert.Multiple(() =>
        {
            Assert.That(rc, Is.EqualTo(1));
            Assert.That(stderr.ToString(), Is.EqualTo("setkey: PF_KEY backend not available in this build" + Environment.NewLine));
        });
    }

    [Test]
    public void UnknownKernelName()
    {
        var r = setkey.Run("--kernel=bsd -D");
        Assert.That((r.ExitCode, r.StdErr), Is.EqualTo((1, "setkey: unknown kernel interface `bsd' (use --kernel xfrm or --kernel pfkey)\n")));
    }

    [Test]
    public void DumpOfEmptyKernels()
    {
        Assert.Multiple(() =>
        {
            Assert.That(setkey.Run("-D").StdOut, Is.EqualTo("No SAD entries.\n"));
            Assert.That(setkey.Run("-D -P").StdOut, Is.EqualTo("No SPD entries.\n"));
            Assert.That(setkey.Run("-DP").StdOut, Is.EqualTo("No SPD entries.\n"));
        });
    }

    [Test]
    public async Task FlushFlags()
    {
        setkey.WithFile("s.conf", TwoSas + "spdadd 10.0.0.1 10.0.0.2 any -P out none;\n").Run("-f s.conf");
        Assert.That(setkey.Run("-F").ExitCode, Is.EqualTo(0));
        Assert.That(await kernel.DumpSasAsync(), Is.Empty);
        Assert.That(await kernel.DumpPoliciesAsync(), Has.Count.EqualTo(1));
        Assert.That(setkey.Run("-FP").ExitCode, Is.EqualTo(0));
        Assert.That(await kernel.DumpPoliciesAsync(), Is.Empty);
    }

    [Test]
    public void GetPrintsTheSaAndMissingOnesAreNoEntry()
    {
        setkey.WithFile("s.conf", TwoSas).Run("-f s.conf");
        var r = setkey.Run("-c", "get 10.0.0.2 10.0.0.1 ah 0x200;\nget 10.0.0.2 10.0.0.1 ah 0x201;\n");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(1));
            Assert.That(r.StdOut, Does.StartWith("10.0.0.2 10.0.0.1 \n\tah mode=transport spi=512(0x00000200) reqid=0(0x00000000)\n\tA: hmac-md5  31323334 35363738 39303132 33343536\n"));
            Assert.That(r.StdErr, Is.EqualTo("setkey: (stdin),2: No entry.\n"));
        });
    }

    [Test]
    public async Task StdinModeKeepsGoingAfterErrorsAndStopsAtExit()
    {
        var r = setkey.Run("-c", "flush;\nbogus;\nadd 10.0.0.1 10.0.0.2 esp 0x100\n  -E null;\nexit;\nadd 10.0.0.1 10.0.0.2 esp 0x101 -E null;\n");
        Assert.Multiple(async () =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(1));
            Assert.That(r.StdErr, Does.StartWith("setkey: (stdin),2: syntax error at `bogus'\n"));
            Assert.That((await kernel.DumpSasAsync()).Select(s => s.Id.Spi), Is.EqualTo(new[] { 0x100u }));
        });
        await Task.CompletedTask;
    }

    [Test]
    public async Task ScriptFromStandardInput()
    {
        var r = setkey.Run("-f -", TwoSas);
        Assert.That(r.ExitCode, Is.EqualTo(0));
        Assert.That(await kernel.DumpSasAsync(), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task KernelModeFlagTurnsOffFwdCopies()
    {
        setkey.WithFile("s.conf", "spdadd 1.1.1.1 2.2.2.2 any -P in none;").Run("-k -f s.conf");
        Assert.That((await kernel.DumpPoliciesAsync()).Select(p => p.Direction), Is.EqualTo(new[] { PolicyDirection.In }));
    }

    [Test]
    public async Task UpdateReplacesAnSa()
    {
        setkey.WithFile("s.conf", TwoSas + "update 10.0.0.1 10.0.0.2 esp 0x100 -lh 100 -ls 50 -E 3des-cbc \"123456789012123456789012\";\n").Run("-f s.conf");
        var sa = await kernel.GetSaAsync(new SaId(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2"), IpsecProtocol.Esp, 0x100));
        Assert.That(sa!.Lifetime.Hard.AddSeconds, Is.EqualTo(100ul));
    }

    [Test]
    public void MissingScriptFile()
    {
        var r = setkey.Run("-f /nonexistent.conf");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(1));
            Assert.That(r.StdErr, Does.StartWith("setkey: Can't open `/nonexistent.conf'"));
        });
    }

    [TestCase("-V")]
    public void VersionExitsOneLikeTheReference(string args)
    {
        var r = setkey.Run(args);
        Assert.That((r.ExitCode, r.StdOut), Is.EqualTo((1, SetkeyCli.VersionLine + "\n")));
    }

    [TestCase("")]
    [TestCase("-h")]
    [TestCase("-d")]
    [TestCase("-?")]
    public void UsageExitsOne(string args)
    {
        var r = setkey.Run(args);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(1));
            Assert.That(r.StdOut, Does.Contain("usage: setkey [-vrk] file ..."));
        });
    }

    [Test]
    public void UnknownOption()
    {
        var r = setkey.Run("-Z");
        Assert.That((r.ExitCode, r.StdErr), Is.EqualTo((1, "setkey: invalid option -- 'Z'\n")));
    }

    [Test]
    public void PortsFlagShowsSaPortsAndNatTPorts()
    {
        setkey.WithFile("s.conf", "add 10.0.0.1 10.0.0.2 esp-udp 0x100 -E null;\nadd 10.0.0.1 10.0.0.2 esp 0x101 -E null;\n").Run("-f s.conf");
        var lines = setkey.Run("-D -p").StdOut.Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Is.EqualTo("10.0.0.1[0] 10.0.0.2[0] "));
            Assert.That(lines[9], Is.EqualTo("10.0.0.1[0][4500] 10.0.0.2[0][4500] "));
            Assert.That(lines[10], Does.StartWith("\tesp-udp mode=transport spi=256(0x00000100)"));
        });
    }
}
