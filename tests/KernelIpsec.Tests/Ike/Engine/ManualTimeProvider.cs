namespace KernelIpsec.Tests.Ike.Engine;

/// <summary>A clock the test moves by hand; the engine only reads it (timers are driven through HandleTimer).</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset now;

    public ManualTimeProvider(DateTimeOffset start) => now = start;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
