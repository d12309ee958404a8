using Zk0.Federation.Strategies;

namespace Zk0.Tests.Federation.Strategies;

public sealed class NodeSamplingTests
{
    private static readonly string[] Datasets = ["ds-0c", "ds-1a", "ds-2f", "ds-3b", "ds-4e", "ds-5d", "ds-6a", "ds-7c"];

    /// <summary>The same datasets behind node ids the SuperLink made up at registration (random on every start).</summary>
    private static List<AvailableNode> FreshNodes() =>
        Datasets.Select(d => new AvailableNode($"node-{Guid.NewGuid():N}"[..17], d, 100)).Reverse().ToList();

    private static string[] Sampled(string assignments, int round, List<AvailableNode> nodes) =>
        NodeSampling.Sample(round, VectorModels.Config(assignments), nodes).Select(n => n.DatasetId).ToArray();

    [Fact]
    public void TheSameSeedAndRoundSelectTheSameDatasetsWhateverTheNodeIds()
    {
        for (var round = 1; round <= 5; round++)
        {
            var first = Sampled("fraction-train=0.5 seed=7", round, FreshNodes());
            var second = Sampled("fraction-train=0.5 seed=7", round, FreshNodes());

            Assert.Equal(4, first.Length);
            Assert.Equal(first, second);
            Assert.Equal(first.Order(StringComparer.Ordinal), first); // returned in canonical (fold) order
        }
    }

    [Fact]
    public void TheSelectionChangesWithTheSeedAndTheRound()
    {
        var nodes = FreshNodes();
        var bySeed = Enumerable.Range(1, 6).Select(seed => string.Join(",", Sampled($"fraction-train=0.5 seed={seed}", 1, nodes))).Distinct().Count();
        var byRound = Enumerable.Range(1, 6).Select(round => string.Join(",", Sampled("fraction-train=0.5 seed=7", round, nodes))).Distinct().Count();

        Assert.True(bySeed > 1, "six seeds all selected the same nodes");
        Assert.True(byRound > 1, "six rounds all selected the same nodes");
    }

    [Fact]
    public void CanonicalOrderIsByDatasetIdThenNodeId()
    {
        AvailableNode[] nodes = [new("node-b", "ds-2", 1), new("node-c", "ds-1", 1), new("node-a", "ds-2", 1)];

        Assert.Equal(["node-c", "node-a", "node-b"], NodeSampling.CanonicalOrder(nodes).Select(n => n.NodeId));
    }
}
