namespace Zk0.AppHost.Supervision;

/// <summary>
/// How often a crashed resource is started again: after a delay that doubles with each crash in <see cref="Window"/>
/// (from <see cref="FirstDelay"/> up to <see cref="MaxDelay"/>), and not at all once it crashed <see cref="MaxCrashes"/>
/// times in that window: a crash loop is reported, not fed.
/// </summary>
public sealed record RestartPolicy(TimeSpan FirstDelay, TimeSpan MaxDelay, int MaxCrashes, TimeSpan Window)
{
    public static readonly RestartPolicy Default = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 5, TimeSpan.FromMinutes(5));

    /// <summary>The delay before the next start, or null when <paramref name="crashes"/> (times within the window, this one included) is too many.</summary>
    public TimeSpan? DelayAfter(int crashes)
    {
        if (crashes > MaxCrashes) return null;
        var doubled = FirstDelay * Math.Pow(2, Math.Max(0, crashes - 1));
        return doubled < MaxDelay ? doubled : MaxDelay;
    }
}
