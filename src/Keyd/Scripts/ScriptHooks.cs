using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Sa;

namespace KernelIpsec.Keyd.Scripts;

/// <summary>
/// racoon's script_hook: `script "path" phase1_up | phase1_down | phase1_dead;` of the remote section that matches
/// the peer, run on the engine's intents. phase1_up when an ISAKMP SA is up (the engine says when: after Mode Config
/// when the remote has `mode_cfg on`); phase1_down when it goes; phase1_dead first when DPD declared the peer dead
/// and when phase 1 gave up for lack of answers (isakmp_ph1resend), each followed by phase1_down as racoon's delph1
/// does. Relative script names resolve against `path script`. Runs on the daemon's loop; the scripts do not.
/// </summary>
public sealed class ScriptHooks(Func<RacoonConfig> config, ScriptRunner runner)
{
    private readonly List<Task> running = [];

    /// <summary>Scripts started and not yet finished (tests wait for them; the daemon never does).</summary>
    public Task WhenIdle()
    {
        running.RemoveAll(t => t.IsCompleted);
        return Task.WhenAll(running);
    }

    public void Observe(EngineIntent intent)
    {
        switch (intent)
        {
            case Phase1Up up:
                Run(ScriptEvent.Phase1Up, up.Local, up.Remote, up.Details);
                break;
            case Phase1Down down:
                if (down.Reason.StartsWith("DPD", StringComparison.Ordinal))
                    Run(ScriptEvent.Phase1Dead, down.Local, down.Remote, down.Details);
                Run(ScriptEvent.Phase1Down, down.Local, down.Remote, down.Details);
                break;
            case NegotiationFailed { Phase: NegotiationPhase.Phase1 } failed
                when failed.Reason.StartsWith("phase1 negotiation failed due to time up", StringComparison.Ordinal):
                Run(ScriptEvent.Phase1Dead, failed.Local, failed.Remote, null);
                Run(ScriptEvent.Phase1Down, failed.Local, failed.Remote, null);
                break;
        }
    }

    /// <summary>racoon's script_names[]: the event's name is the script's first argument.</summary>
    public static string Name(ScriptEvent e) => e switch
    {
        ScriptEvent.Phase1Up => "phase1_up",
        ScriptEvent.Phase1Down => "phase1_down",
        _ => "phase1_dead",
    };

    private void Run(ScriptEvent e, IPEndPoint local, IPEndPoint remote, Phase1Details? details)
    {
        var current = config();
        var section = RemoteSelector.Select(current.Remotes, new RemoteQuery { Peer = remote.Address });
        // racoon keeps one script per event (the last one configured wins).
        if (section?.Scripts.LastOrDefault(s => s.Event == e) is not { } script)
            return;
        var path = script.Path.Resolve(current.Paths.Script);
        running.RemoveAll(t => t.IsCompleted);
        running.Add(runner.RunAsync(path, Name(e), ScriptEnvironment.Build(local, remote, details)));
    }
}
