using Zk0.Federation.Strategies;

namespace Zk0.Tests.Federation.Strategies;

public sealed class FoldOrderTests
{
    private static TrainUpdate Update(string nodeId) => new(nodeId, $"/blobs/{nodeId}", 1, new Dictionary<string, double>());

    private static string[] Ids(IEnumerable<TrainUpdate> updates) => updates.Select(u => u.NodeId).ToArray();

    [Fact]
    public void AnUpdateThatArrivesEarlyWaitsUntilEveryNodeBeforeItIsSettled()
    {
        var order = new FoldOrder(["a", "b", "c"]);

        Assert.Empty(order.Offer(Update("c")));
        Assert.Equal(["a"], Ids(order.Offer(Update("a"))));
        Assert.False(order.IsComplete);
        // b failed: nothing to fold for it, and c's turn has come.
        Assert.Equal(["c"], Ids(order.Skip("b")));
        Assert.True(order.IsComplete);
    }

    [Fact]
    public void ClosingTheRoundSkipsTheNodesThatNeverReportedAndReleasesTheWaitingUpdates()
    {
        var order = new FoldOrder(["a", "b", "c", "d"]);

        Assert.Empty(order.Offer(Update("d")));
        Assert.Empty(order.Offer(Update("b")));
        Assert.Equal(["b", "d"], Ids(order.Close()));
        Assert.True(order.IsComplete);
    }

    [Fact]
    public void ResultsOutsideTheOrderOrTwiceForOneNodeAreRefusedNamingTheNode()
    {
        var order = new FoldOrder(["a", "b"]);
        order.Offer(Update("b"));

        Assert.Contains("node-x", Assert.Throws<ArgumentException>(() => order.Offer(Update("node-x"))).Message);
        Assert.Contains("b", Assert.Throws<InvalidOperationException>(() => order.Skip("b")).Message);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => new FoldOrder(["a", "a"])).Message);
    }
}
