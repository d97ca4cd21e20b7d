using KernelIpsec.Tests.Infrastructure;
using KernelIpsec.Tests.Interop;
using NUnit.Framework;
using NUnit.Framework.Interfaces;

namespace KernelIpsec.Tests.EndToEnd;

/// <summary>
/// Base of the end-to-end fixtures: one <see cref="NetnsPair"/> per test (directly linked or
/// through natbox), the daemons a test starts in it (our racoons, charon, pluto) and a state
/// directory for their files. Teardown prints every daemon's log, both kernels' SAD/SPD and
/// natbox's mappings when the test failed, then stops the daemons and deletes the namespaces.
/// </summary>
public abstract class EndToEndRig
{
    private readonly List<RacoonProcess> racoons = [];
    private readonly List<StrongSwanPeer> charons = [];
    private readonly List<LibreswanPeer> plutos = [];
    private NetnsPair? pair;

    protected NetnsPair Pair => pair ?? throw new InvalidOperationException("call StartRig first");

    protected string StateDirectory { get; private set; } = "";

    /// <summary>The Vm-tier requirements, a fresh namespace pair and a state directory named after the test.</summary>
    /// <param name="nat">Which side sits behind natbox (the NAT topologies), if any.</param>
    protected void StartRig(bool tunnel = false, NatSide nat = NatSide.None)
    {
        Requirements.Vm();
        Requirements.Root();
        var name = string.Concat(TestContext.CurrentContext.Test.Name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
        StateDirectory = Path.Combine(Path.GetTempPath(), "kernelipsec-e2e", $"{name}-{Environment.ProcessId}");
        if (Directory.Exists(StateDirectory))
            Directory.Delete(StateDirectory, recursive: true);
        Directory.CreateDirectory(StateDirectory);
        pair = NetnsPair.Create(nat);
        if (tunnel)
            pair.AddTunnelNetworks();
    }

    /// <summary>The Vm-tier requirements and a fresh pair in the variant's topology (NAT, tunnel networks).</summary>
    protected void StartRig(InteropVariant variant) => StartRig(variant.Mode == "tunnel", variant.Nat);

    protected static void RequireStrongSwan()
    {
        if (!StrongSwanPeer.IsInstalled)
            Assert.Ignore("needs strongSwan (charon, swanctl): vm/install-deps.sh installs it");
    }

    protected static void RequireLibreswan()
    {
        if (!LibreswanPeer.IsInstalled)
            Assert.Ignore("needs libreswan unpacked in /opt/libreswan and certutil: vm/install-deps.sh does both");
    }

    /// <summary>`setkey -f FILE` in one namespace, as a racoon user loads the policies.</summary>
    protected static void LoadPolicies(TestNetns ns, string setkeyConf, string extraArguments = "")
    {
        var r = ns.TryExec(ProductTools.Setkey.CommandLine($"{extraArguments} -f {setkeyConf}".Trim()));
        Assert.That(r.ExitCode, Is.Zero, $"setkey -f {setkeyConf} in {ns.Name}: {r.StdOut}{r.StdErr}");
    }

    /// <summary>Starts our racoon in one side and waits until it listens on that side's address.</summary>
    protected RacoonProcess StartRacoon(bool left, string configPath, string extraArguments = "", string? logName = null, TimeSpan? readyTimeout = null,
        IReadOnlyList<(string Source, string Target)>? bindMounts = null)
    {
        var side = left ? "left" : "right";
        var log = Path.Combine(Path.GetDirectoryName(configPath)!, logName ?? "racoon.log");
        var racoon = RacoonProcess.Start(side + " racoon", left ? Pair.Left : Pair.Right, configPath, log,
            Pair.Addresses.Own(left), extraArguments, readyTimeout, bindMounts);
        racoons.Add(racoon);
        return racoon;
    }

    protected StrongSwanPeer StartCharon(bool left, InteropVariant variant, TestPki? pki, string startAction, TimeSpan? natKeepalive = null)
    {
        var charon = StrongSwanPeer.Start(left ? Pair.Left : Pair.Right, variant, left,
            Path.Combine(StateDirectory, (left ? "left" : "right") + "-charon"), pki, startAction, natKeepalive);
        charons.Add(charon);
        return charon;
    }

    /// <summary>Stops a charon started elsewhere (e.g. in a remote-access role) with the rig, and reports its log on failure.</summary>
    protected StrongSwanPeer AddCharon(StrongSwanPeer charon)
    {
        charons.Add(charon);
        return charon;
    }

    /// <param name="auto">pluto's auto=: ondemand (traffic triggers IKE), add (respond only), start.</param>
    protected LibreswanPeer StartPluto(bool left, InteropVariant variant, TestPki? pki, string auto)
    {
        var pluto = LibreswanPeer.Start(left ? Pair.Left : Pair.Right, variant, left, Path.Combine(StateDirectory, (left ? "left" : "right") + "-pluto"), pki, auto);
        plutos.Add(pluto);
        return pluto;
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
            foreach (var pluto in plutos)
                pluto.Dispose();
            racoons.Clear();
            charons.Clear();
            plutos.Clear();
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
        foreach (var pluto in plutos)
            report.AppendLine($"===== pluto log {pluto.LogPath}\n{pluto.Log}");
        foreach (var ns in new[] { Pair.Left, Pair.Right })
        {
            report.AppendLine($"===== {ns.Name}: ip -s xfrm state\n{ns.TryExec("ip -s xfrm state").StdOut}");
            report.AppendLine($"===== {ns.Name}: ip xfrm policy\n{ns.TryExec("ip xfrm policy").StdOut}");
        }
        if (Pair.Natbox is { } natbox)
        {
            report.AppendLine($"===== natbox {natbox.Name}: conntrack -L\n{natbox.TryExec("conntrack -L").StdOut}");
            report.AppendLine($"===== natbox {natbox.Name}: nft list ruleset\n{natbox.TryExec("nft list ruleset").StdOut}");
        }
        return report.ToString();
    }
}
