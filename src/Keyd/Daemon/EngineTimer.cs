namespace KernelIpsec.Keyd.Daemon;

/// <summary>The engine's one timer (each ArmTimer replaces the previous one); when due it posts <see cref="TimerDue"/>.</summary>
public sealed class EngineTimer : IDisposable
{
    private readonly TimeProvider time;
    private readonly ITimer timer;

    public EngineTimer(TimeProvider time, Action due)
    {
        this.time = time;
        timer = time.CreateTimer(_ => due(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public DateTimeOffset? Due { get; private set; }

    public void Arm(DateTimeOffset due)
    {
        Due = due;
        var delay = due - time.GetUtcNow();
        timer.Change(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
    }

    public void Disarm()
    {
        Due = null;
        timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Dispose() => timer.Dispose();
}
