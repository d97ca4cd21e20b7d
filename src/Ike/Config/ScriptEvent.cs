namespace KernelIpsec.Ike.Config;

/// <summary>Events of `script "path" phase1_up | phase1_down | phase1_dead`.</summary>
public enum ScriptEvent
{
    Phase1Up,
    Phase1Down,
    Phase1Dead,
}

/// <summary>A hook script (resolved against `path script`).</summary>
public sealed record ScriptConfig(FileReference Path, ScriptEvent Event);
