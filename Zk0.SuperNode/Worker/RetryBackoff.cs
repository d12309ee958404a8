namespace Zk0.SuperNode.Worker;

/// <summary>Exponential backoff with jitter for calls to the federation: transient failures are retried, never fatal.</summary>
public sealed class RetryBackoff(TimeSpan initial, TimeSpan max)
{
    private TimeSpan? _next;

    public TimeSpan NextDelay()
    {
        var delay = _next ?? initial;
        _next = TimeSpan.FromTicks(Math.Min(max.Ticks, delay.Ticks * 2));
        return delay * (0.8 + Random.Shared.NextDouble() * 0.4);
    }

    public void Reset() => _next = null;
}
