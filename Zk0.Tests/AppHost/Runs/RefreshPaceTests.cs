using Zk0.AppHost.Runs;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.AppHost.Runs;

public class RefreshPaceTests
{
    [Fact]
    public void TheFirstRoundRefreshesThenOnlyOncePerIntervalUnlessARoundRequiresIt()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var pace = new RefreshPace(TimeSpan.FromSeconds(5), clock);

        Assert.True(pace.Due(required: false));
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.False(pace.Due(required: false));
        Assert.True(pace.Due(required: true));
        clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(pace.Due(required: false));
        clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(pace.Due(required: false));
    }
}
