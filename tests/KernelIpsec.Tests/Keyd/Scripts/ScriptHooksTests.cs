using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Keyd.Config;
using KernelIpsec.Keyd.Scripts;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd.Scripts;

/// <summary>Real scripts (/bin/sh) run by the hooks: argv, environment, output and status as a user sees them.</summary>
[TestFixture, Category(Tier.Unit)]
public class ScriptHooksTests
{
    private static readonly IPEndPoint Local = new(IPAddress.Parse("10.77.0.1"), 500);
    private static readonly IPEndPoint Remote = new(IPAddress.Parse("10.77.0.2"), 500);
    private string dir = "";

    [SetUp]
    public void SetUp()
    {
        dir = Path.Combine(Path.GetTempPath(), "keyd-scripts-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(dir, recursive: true);

    private string Script(string name, string body)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private RacoonConfig Config(string scripts)
    {
        var text = $"path script \"{dir}\";\nremote 10.77.0.2 {{\n exchange_mode main;\n {scripts}\n" +
                   " proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method pre_shared_key; dh_group 2; }\n}\n";
        var result = RacoonConfLoader.ReadText(text, "racoon.conf");
        Assert.That(result.Errors, Is.Empty);
        return result.Config!;
    }

    /// <summary>A hook that records "argv0 argv1" and its environment (sorted) in NAME.out.</summary>
    private void RecordingScript(string name) =>
        Script(name, $"echo \"$0 $1\" > \"{dir}/$1.out\"; /usr/bin/env | /usr/bin/sort >> \"{dir}/$1.out\"");

    [Test]
    public async Task Phase1UpRunsTheRelativeScriptWithTheEventAsArgumentAndOnlyRacoonsEnvironment()
    {
        RecordingScript("hook.sh");
        var logger = new ConcurrentLogger();
        var hooks = new ScriptHooks(() => Config("script \"hook.sh\" phase1_up;"), new ScriptRunner(logger));
        var cfg = new ModeCfgAttributes { Address4 = IPAddress.Parse("10.77.8.1"), Dns4 = [IPAddress.Parse("10.77.8.53")] };

        hooks.Observe(new Phase1Up(Local, Remote, 1, 2, new Phase1Details("10.77.0.2", "ikev1rig", cfg)));
        await hooks.WhenIdle();

        var lines = File.ReadAllLines(Path.Combine(dir, "phase1_up.out"));
        Assert.That(lines[0], Is.EqualTo($"{dir}/hook.sh phase1_up"));
        // env(1) prints PWD too when the shell sets it; everything else comes from racoon's list, and no PATH.
        var variables = lines.Skip(1).Where(l => !l.StartsWith("PWD=", StringComparison.Ordinal) && !l.StartsWith("SHLVL=", StringComparison.Ordinal)
            && !l.StartsWith("_=", StringComparison.Ordinal) && !l.StartsWith("OLDPWD=", StringComparison.Ordinal)).ToList();
        Assert.That(variables, Does.Contain("INTERNAL_ADDR4=10.77.8.1"));
        Assert.That(variables, Does.Contain("XAUTH_USER=ikev1rig"));
        Assert.That(variables, Does.Contain("REMOTE_ADDR=10.77.0.2"));
        Assert.That(variables, Does.Contain("LOCAL_PORT=500"));
        Assert.That(variables.Select(v => v[..v.IndexOf('=')]), Is.EquivalentTo(ScriptEnvironment.Build(Local, Remote, new Phase1Details("10.77.0.2", "ikev1rig", cfg)).Select(p => p.Key)));
        Assert.That(logger.Lines, Does.Contain($"INFO: Script phase1_up \"{dir}/hook.sh\" exited with status 0"));
    }

    [Test]
    public async Task DeadPeerRunsPhase1DeadThenPhase1Down()
    {
        Script("dead.sh", $"echo dead >> \"{dir}/order\"");
        Script("down.sh", $"sleep 0.2; echo down >> \"{dir}/order\"");
        var hooks = new ScriptHooks(() => Config("script \"dead.sh\" phase1_dead;\n script \"down.sh\" phase1_down;"), new ScriptRunner(new ConcurrentLogger()));

        hooks.Observe(new Phase1Down(Local, Remote, 1, 2, "DPD: peer seems to be dead"));
        await hooks.WhenIdle();

        Assert.That(File.ReadAllLines(Path.Combine(dir, "order")), Is.EqualTo(new[] { "dead", "down" }));
    }

    [Test]
    public async Task AnOrdinaryDeleteRunsOnlyPhase1Down()
    {
        Script("dead.sh", $"echo dead >> \"{dir}/order\"");
        Script("down.sh", $"echo down >> \"{dir}/order\"");
        var hooks = new ScriptHooks(() => Config("script \"dead.sh\" phase1_dead;\n script \"down.sh\" phase1_down;"), new ScriptRunner(new ConcurrentLogger()));

        hooks.Observe(new Phase1Down(Local, Remote, 1, 2, "deleted by the peer"));
        hooks.Observe(new Phase1Up(Local, Remote, 3, 4));
        await hooks.WhenIdle();

        Assert.That(File.ReadAllLines(Path.Combine(dir, "order")), Is.EqualTo(new[] { "down" }));
    }

    [Test]
    public async Task Phase1GivingUpForLackOfAnswerRunsPhase1Dead()
    {
        Script("dead.sh", $"echo \"$1 $REMOTE_ADDR\" >> \"{dir}/order\"");
        var hooks = new ScriptHooks(() => Config("script \"dead.sh\" phase1_dead;"), new ScriptRunner(new ConcurrentLogger()));

        hooks.Observe(new NegotiationFailed(NegotiationPhase.Phase1, Local, Remote, "phase1 negotiation failed due to time up. 1234:0000", null));
        hooks.Observe(new NegotiationFailed(NegotiationPhase.Phase1, Local, Remote, "no suitable proposal found.", null));
        await hooks.WhenIdle();

        Assert.That(File.ReadAllLines(Path.Combine(dir, "order")), Is.EqualTo(new[] { "phase1_dead 10.77.0.2" }));
    }

    [Test]
    public async Task OutputLinesAndAFailingStatusAreLogged()
    {
        Script("hook.sh", "echo hello; echo oops >&2; exit 3");
        var logger = new ConcurrentLogger();
        var hooks = new ScriptHooks(() => Config("script \"hook.sh\" phase1_up;"), new ScriptRunner(logger));

        hooks.Observe(new Phase1Up(Local, Remote, 1, 2));
        await hooks.WhenIdle();

        Assert.That(logger.Lines, Does.Contain("INFO: phase1_up: hello"));
        Assert.That(logger.Lines, Does.Contain("INFO: phase1_up: oops"));
        Assert.That(logger.Lines, Does.Contain($"ERROR: Script phase1_up \"{dir}/hook.sh\" exited with status 3"));
    }

    [Test]
    public async Task AScriptThatHangsIsKilledAtTheTimeoutAndTheLoopNeverWaits()
    {
        Script("hook.sh", "sleep 30");
        var logger = new ConcurrentLogger();
        var hooks = new ScriptHooks(() => Config("script \"hook.sh\" phase1_up;"), new ScriptRunner(logger, TimeSpan.FromMilliseconds(300)));

        var started = DateTime.UtcNow;
        hooks.Observe(new Phase1Up(Local, Remote, 1, 2));
        Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(2)), "Observe only starts the script");
        await hooks.WhenIdle();

        Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(10)));
        Assert.That(logger.Lines, Does.Contain($"ERROR: Script phase1_up \"{dir}/hook.sh\" still running after 0.3 s: killed"));
    }

    [Test]
    public async Task AMissingScriptIsLoggedAsRacoonDoes()
    {
        var logger = new ConcurrentLogger();
        var hooks = new ScriptHooks(() => Config("script \"absent.sh\" phase1_up;"), new ScriptRunner(logger));

        hooks.Observe(new Phase1Up(Local, Remote, 1, 2));
        await hooks.WhenIdle();

        Assert.That(logger.Lines, Has.Some.StartsWith($"ERROR: execve(\"{dir}/absent.sh\") failed: "));
        Assert.That(logger.Lines, Does.Contain("ERROR: Script phase1_up execution failed"));
    }

    [Test]
    public async Task APeerWithoutScriptsRunsNothing()
    {
        var logger = new ConcurrentLogger();
        var hooks = new ScriptHooks(() => Config(""), new ScriptRunner(logger));

        hooks.Observe(new Phase1Up(Local, Remote, 1, 2));
        hooks.Observe(new Phase1Up(new IPEndPoint(Local.Address, 500), new IPEndPoint(IPAddress.Parse("10.77.0.9"), 500), 1, 2));
        await hooks.WhenIdle();

        Assert.That(logger.Lines, Is.Empty);
    }
}
