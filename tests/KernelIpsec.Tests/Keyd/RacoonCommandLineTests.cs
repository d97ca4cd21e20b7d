using System.Net.Sockets;
using KernelIpsec.Keyd.Cli;
using KernelIpsec.Keyd.Config;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd;

[TestFixture, Category(Tier.Unit)]
public class RacoonCommandLineTests
{
    private static (RacoonCommandLine.Outcome Outcome, string Out, string Err) Parse(string line, string? kernelEnv = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var args = line.Length == 0 ? [] : line.Split(' ');
        var outcome = RacoonCommandLine.Parse(args, stdout, stderr, name => name == RacoonCommandLine.KernelEnvironmentVariable ? kernelEnv : null);
        return (outcome, stdout.ToString(), stderr.ToString());
    }

    private static RacoonOptions Options(string line, string? kernelEnv = null)
    {
        var (outcome, _, err) = Parse(line, kernelEnv);
        Assert.That(outcome, Is.TypeOf<RacoonCommandLine.Parsed>(), err);
        return ((RacoonCommandLine.Parsed)outcome).Options;
    }

    [Test]
    public void NoArgumentsGiveRacoonDefaults()
    {
        var o = Options("");
        Assert.That(o.ConfigFile, Is.EqualTo("/etc/racoon/racoon.conf"));
        Assert.That(o.EffectiveIsakmpPort, Is.EqualTo(500));
        Assert.That(o.EffectiveNattPort, Is.EqualTo(4500));
        Assert.That(o.Foreground, Is.False);
        Assert.That(o.Kernel, Is.Null, "neither --kernel nor KERNELIPSEC_KERNEL: racoon.conf or the default decides");
        Assert.That(o.ListenFamily, Is.Null, "without -4/-6 racoon listens on both families");
    }

    [Test]
    public void EveryRacoonFlagIsUnderstood()
    {
        var o = Options("-dd -d -L -F -p 5000 -P5001 -f /tmp/r.conf -l /tmp/r.log -v -v -6 -B -C");
        Assert.That(o.DebugLevel, Is.EqualTo(3));
        Assert.That(o.PrintLocation, Is.True);
        Assert.That(o.Foreground, Is.True);
        Assert.That(o.IsakmpPort, Is.EqualTo(5000));
        Assert.That(o.NattPort, Is.EqualTo(5001));
        Assert.That(o.ConfigFile, Is.EqualTo("/tmp/r.conf"));
        Assert.That(o.LogFile, Is.EqualTo("/tmp/r.log"));
        Assert.That(o.Verbose, Is.EqualTo(2));
        Assert.That(o.ListenFamily, Is.EqualTo(AddressFamily.InterNetworkV6));
        Assert.That(o.LoadBackupSa, Is.True);
        Assert.That(o.DumpConfig, Is.True);
    }

    [Test]
    public void ClusteredFlagsTakeTheirArgumentFromTheRestOfTheWord()
    {
        var o = Options("-dFf/etc/x.conf");
        Assert.That(o.DebugLevel, Is.EqualTo(1));
        Assert.That(o.Foreground, Is.True);
        Assert.That(o.ConfigFile, Is.EqualTo("/etc/x.conf"));
    }

    [Test]
    public void ForegroundPrintsRacoonsBannerWhenSeen()
    {
        var (_, stdout, _) = Parse("-F");
        Assert.That(stdout, Is.EqualTo("Foreground mode.\n"));
    }

    [Test]
    public void VersionPrintsThePackageLineAndExitsZero()
    {
        var (outcome, stdout, _) = Parse("-V");
        Assert.That(outcome, Is.EqualTo(new RacoonCommandLine.Exit(0)));
        Assert.That(stdout, Does.StartWith("@(#)ipsec-tools 0.8.2 (http://ipsec-tools.sourceforge.net)\n\nCompiled with:\n"));
    }

    [TestCase("-x", "racoon: invalid option -- 'x'\n")]
    [TestCase("-f", "racoon: option requires an argument -- 'f'\n")]
    [TestCase("extra", "")]
    [TestCase("--bogus", "racoon: unrecognized option '--bogus'\n")]
    public void BadCommandLinesPrintUsageAndExitOne(string line, string expectedError)
    {
        var (outcome, stdout, stderr) = Parse(line);
        Assert.That(outcome, Is.EqualTo(new RacoonCommandLine.Exit(1)));
        Assert.That(stdout, Does.StartWith("usage: racoon [-BdFv46] [-f (file)] [-l (file)] [-p (port)] [-P (natt port)]\n"));
        Assert.That(stdout, Does.Contain("   -P: port number for NAT-T (default: 4500).\n"));
        Assert.That(stderr, Is.EqualTo(expectedError));
    }

    [TestCase("-p 0")]
    [TestCase("-p 70000")]
    [TestCase("-P abc")]
    public void BadPortIsRejectedWithItsValue(string line)
    {
        var (outcome, _, stderr) = Parse(line);
        Assert.That(outcome, Is.EqualTo(new RacoonCommandLine.Exit(1)));
        Assert.That(stderr, Does.Contain("invalid port number \"" + line.Split(' ')[1] + "\""));
    }

    [Test]
    public void KernelComesFromTheFlagOrTheEnvironmentFlagFirst()
    {
        Assert.That(Options("--kernel pfkey").Kernel, Is.EqualTo(new KernelChoice(KernelInterface.PfKey, "--kernel")));
        Assert.That(Options("--kernel=xfrm", kernelEnv: "pfkey").Kernel, Is.EqualTo(new KernelChoice(KernelInterface.Xfrm, "--kernel")));
        Assert.That(Options("", kernelEnv: "pfkey").Kernel, Is.EqualTo(new KernelChoice(KernelInterface.PfKey, "KERNELIPSEC_KERNEL")));
    }

    [Test]
    public void UnknownKernelIsAnError()
    {
        var (outcome, _, stderr) = Parse("--kernel bsd");
        Assert.That(outcome, Is.EqualTo(new RacoonCommandLine.Exit(1)));
        Assert.That(stderr, Does.Contain("unknown kernel interface \"bsd\""));
        var (fromEnv, _, envErr) = Parse("", kernelEnv: "solaris");
        Assert.That(fromEnv, Is.EqualTo(new RacoonCommandLine.Exit(1)));
        Assert.That(envErr, Does.Contain("KERNELIPSEC_KERNEL"));
    }

    [Test]
    public void CheckIsALongOption()
    {
        Assert.That(Options("--check -f /x.conf").CheckConfig, Is.True);
    }
}

[TestFixture, Category(Tier.Unit)]
public class RacoonCliTests
{
    private sealed class RecordingRuntime : IRacoonRuntime
    {
        public List<string> Calls { get; } = [];
        public bool IsDetachedChild { get; set; }

        public int DumpConfig(RacoonOptions options, TextWriter stdout, TextWriter stderr) { Calls.Add("dump " + options.ConfigFile); return 0; }
        public int CheckConfig(RacoonOptions options, TextWriter stdout, TextWriter stderr) { Calls.Add("check " + options.ConfigFile); return 3; }
        public int Detach(IReadOnlyList<string> args, TextWriter stderr) { Calls.Add("detach " + string.Join(' ', args)); return 0; }
        public int RunDaemon(RacoonOptions options) { Calls.Add("run"); return 7; }
    }

    private static (int Code, RecordingRuntime Runtime, string Err) Run(string line, bool root = true, bool detachedChild = false)
    {
        var runtime = new RecordingRuntime { IsDetachedChild = detachedChild };
        var stderr = new StringWriter();
        var code = RacoonCli.Run(line.Split(' ', StringSplitOptions.RemoveEmptyEntries), new RacoonCliContext(new StringWriter(), stderr, _ => null, () => root, runtime));
        return (code, runtime, stderr.ToString());
    }

    [Test]
    public void NonRootIsRefusedAsRacoonDoes()
    {
        var (code, runtime, err) = Run("-F", root: false);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(err, Is.EqualTo("racoon: must be root to invoke this program.\n"));
        Assert.That(runtime.Calls, Is.Empty);
    }

    [Test]
    public void ForegroundRunsTheDaemonInThisProcess()
    {
        var (code, runtime, _) = Run("-F -f /a.conf");
        Assert.That(code, Is.EqualTo(7));
        Assert.That(runtime.Calls, Is.EqualTo(new[] { "run" }));
    }

    [Test]
    public void WithoutForegroundTheDaemonDetachesAndTheChildRuns()
    {
        Assert.That(Run("-f /a.conf").Runtime.Calls, Is.EqualTo(new[] { "detach -f /a.conf" }));
        Assert.That(Run("-f /a.conf", detachedChild: true).Runtime.Calls, Is.EqualTo(new[] { "run" }));
    }

    [Test]
    public void DumpAndCheckNeedNoRoot()
    {
        var (dumpCode, dump, _) = Run("-C -f /a.conf", root: false);
        Assert.That((dumpCode, dump.Calls.Single()), Is.EqualTo((0, "dump /a.conf")));
        var (checkCode, check, _) = Run("--check -f /b.conf", root: false);
        Assert.That((checkCode, check.Calls.Single()), Is.EqualTo((3, "check /b.conf")));
    }
}
