using KernelIpsec.Tests.Infrastructure;
using KernelIpsec.Tests.Interop;
using NUnit.Framework;
using NUnit.Framework.Interfaces;

namespace KernelIpsec.Tests.EndToEnd;

/// <summary>
/// Base of the end-to-end fixtures: one <see cref="NetnsPair"/> per test, the daemons a test
/// starts in it (our racoons, charon) and a state directory for their files. Teardown prints
/// every daemon's log and both kernels' SAD/SPD when the test failed, then stops the daemons
/// and deletes the namespaces.
/// </summary>
public abstract class EndToEndRig
{
    private readonly List<RacoonProcess> racoons = [];
    private readonly List<StrongSwanPeer> charons = [];
    private NetnsPair? pair;

    protected NetnsPair Pair => pair ?? throw new InvalidOperationException("call StartRig first");

    protected string StateDirectory { get; private set; } = "";

    /// <summary>The Vm-tier requirements, a fresh namespace pair and a state directory named after the test.</summary>
    protected void StartRig(bool tunnel = false)
    {
        Requirements.Vm();
        Requirements.Root();
        var name = string.Concat(TestContext.CurrentContext.Test.Name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
        StateDirectory = Path.Combine(Path.GetTempPath(), "kernelipsec-e2e", $"{name}-{Environment.ProcessId}");
        if (Directory.Exists(StateDirectory))
            Directory.Delete(StateDirectory, recursive: true);
        Directory.CreateDirectory(StateDirectory);
        pair = NetnsPair.Create();
        if (tunnel)
            pair.AddTunnelNetworks();
    }

    protected static void RequireStrongSwan()
    {
        if (!StrongSwanPeer.IsInstalled)
            Assert.Ignore("needs strongSwan (charon, swanctl): vm/install-deps.sh installs it");
    }

    /// <summary>`setkey -f FILE` in one namespace, as a racoon user loads the policies.</summary>
    protected static void LoadPolicies(TestNetns ns, string setkeyConf, string extraArguments = "")
    {
        var r = ns.TryExec(ProductTools.Setkey.CommandLine($"{extraArguments} -f {setkeyConf}".Trim()));
        Assert.That(r.ExitCode, Is.Zero, $"setkey -f {setkeyConf} in {ns.Name}: {r.StdOut}{r.StdErr}");
    }

    /// <summary>Starts our racoon in one side and waits until it listens on that side's address.</summary>
    protected RacoonProcess StartRacoon(bool left, string configPath, string extraArguments = "", string? logName = null)
    {
        var side = left ? "left" : "right";
        var log = Path.Combine(Path.GetDirectoryName(configPath)!, logName ?? "racoon.log");
        var racoon = RacoonProcess.Start(side + " racoon", left ? Pair.Left : Pair.Right, configPath, log,
            left ? NetnsPair.LeftAddress : NetnsPair.RightAddress, extraArguments);
        racoons.Add(racoon);
        return racoon;
    }

    protected StrongSwanPeer StartCharon(bool left, InteropVariant variant, TestPki? pki, string startAction)
    {
        var charon = StrongSwanPeer.Start(left ? Pair.Left : Pair.Right, variant, left, Path.Combine(StateDirectory, (left ? "left" : "right") + "-charon"), pki, startAction);
        charons.Add(charon);
        return charon;
    }

    [TearDown]
    public void StopRig()
    {
        try
        {
            if (pair != null && TestContext.CurrentContext.Result.Outcome.Status == TestStatus.Failed)
                TestContext.Out.WriteLine(FailureReport());
        }
        finally
        {
            foreach (var racoon in racoons)
                racoon.Dispose();
            foreach (var charon in charons)
                charon.Dispose();
            racoons.Clear();
            charons.Clear();
            pair?.Dispose();
            pair = null;
        }
    }

    private string FailureReport()
    {
        var report = new System.Text.StringBuilder();
        report.AppendLine($"tools: racoon = {ProductTools.Racoon}, setkey = {ProductTools.Setkey}");
        foreach (var racoon in racoons)
            report.AppendLine(racoon.Report());
        foreach (var charon in charons)
            report.AppendLine($"===== charon log {charon.LogPath}\n{charon.Log}");
        foreach (var ns in new[] { Pair.Left, Pair.Right })
        {
            report.AppendLine($"===== {ns.Name}: ip -s xfrm state\n{ns.TryExec("ip -s xfrm state").StdOut}");
            report.AppendLine($"===== {ns.Name}: ip xfrm policy\n{ns.TryExec("ip xfrm policy").StdOut}");
        }
        return report.ToString();
    }
}
