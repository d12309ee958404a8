namespace Zk0.Tests.SuperLink.Infrastructure;

/// <summary>A clock the test moves by hand (lease expiry, deadlines).</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;
    public override DateTimeOffset GetUtcNow() => _now;
    public void Advance(TimeSpan by) => _now += by;
}
