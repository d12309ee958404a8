namespace Zk0.AppHost.Runs;

/// <summary>
/// How often a run's outputs follow its rounds: a round that must refresh them (evaluated, or checkpointed) always does,
/// the others at most once per interval. metrics.json and the charts grow with the run, so refreshing them after every
/// one of hundreds of sub-second rounds would leave the printed progress minutes behind the federation.
/// </summary>
public sealed class RefreshPace(TimeSpan interval, TimeProvider time)
{
    private DateTimeOffset? _last;

    public bool Due(bool required)
    {
        var now = time.GetUtcNow();
        if (!required && _last is { } last && now - last < interval) return false;
        _last = now;
        return true;
    }
}
