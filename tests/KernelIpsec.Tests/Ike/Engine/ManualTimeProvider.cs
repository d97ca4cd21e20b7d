namespace KernelIpsec.Tests.Ike.Engine;

/// <summary>A clock the test moves by hand; the engine only reads it (timers are driven through HandleTimer).</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now;

    public ManualTimeProvider(DateTimeOffset start) => _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
