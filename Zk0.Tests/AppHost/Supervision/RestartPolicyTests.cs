using Zk0.AppHost.Supervision;

namespace Zk0.Tests.AppHost.Supervision;

public sealed class RestartPolicyTests
{
    [Fact]
    public void TheDelayDoublesUpToTheMaximumAndACrashLoopIsNotRestarted()
    {
        var policy = new RestartPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), MaxCrashes: 4, TimeSpan.FromMinutes(5));

        Assert.Equal([1, 2, 4, 5], Enumerable.Range(1, 4).Select(crashes => policy.DelayAfter(crashes)!.Value.TotalSeconds));
        Assert.Null(policy.DelayAfter(5));
    }

    [Fact]
    public void OnlyCrashesWithinTheWindowCount()
    {
        var history = new CrashHistory(TimeSpan.FromMinutes(5));
        var start = DateTimeOffset.UnixEpoch;

        Assert.Equal(1, history.Record(start));
        Assert.Equal(2, history.Record(start + TimeSpan.FromMinutes(1)));
        Assert.Equal(2, history.Record(start + TimeSpan.FromMinutes(5.5))); // the first fell out of the window
        history.Clear();
        Assert.Equal(1, history.Record(start + TimeSpan.FromMinutes(6)));
    }
}
