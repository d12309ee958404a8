using Zk0.Federation.Strategies;

namespace Zk0.Tests.Federation.Strategies;

/// <summary>
/// Two runs with the same updates must commit byte-identical models although their nodes finish in a different order
/// and got different node ids: the SuperLink folds through <see cref="FoldOrder"/> in canonical (dataset id) order.
/// Each "run" here is two rounds, so server optimizer state carried between rounds is covered too.
/// </summary>
public sealed class ArrivalOrderTests : IDisposable
{
    private const int Length = 4096;
    private static readonly string[] Datasets = ["ds-a", "ds-b", "ds-c", "ds-d", "ds-e"];
    private static readonly long[] Examples = [3, 7, 11, 13, 5];
    private const int FailingDataset = 2; // reports an error every round: the fold must skip it, not wait for it

    private static readonly int[][] ArrivalOrders = [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [2, 4, 0, 3, 1], [3, 0, 4, 1, 2]];

    private readonly VectorModels _models = new();
    private readonly string _global;
    private readonly string[][] _updatePaths; // [round - 1][dataset]

    public ArrivalOrderTests()
    {
        var random = new Random(1234);
        float Value() => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 6)));
        _global = _models.Global(Enumerable.Range(0, Length).Select(_ => Value()).ToArray());
        _updatePaths = Enumerable.Range(0, 2).Select(_ => Datasets.Select(d =>
            _models.Update(d, 1, Enumerable.Range(0, Length).Select(_ => Value()).ToArray()).UpdatePath).ToArray()).ToArray();
    }

    public void Dispose() => _models.Dispose();

    [Theory]
    [InlineData("strategy=fedavg")]
    [InlineData("strategy=fedprox proximal-mu=0.01")]
    [InlineData("strategy=fedavgm")]
    [InlineData("strategy=fedadam")]
    [InlineData("strategy=fedyogi")]
    [InlineData("strategy=fedadagrad")]
    [InlineData("strategy=fedmedian")]
    [InlineData("strategy=fedtrimmedavg trimmed-beta=0.25")]
    [InlineData("strategy=krum num-malicious-nodes=1")]
    [InlineData("strategy=multikrum num-malicious-nodes=1")]
    [InlineData("strategy=fedavg wire-dtype=bfloat16")]
    [InlineData("strategy=fedadam wire-dtype=bfloat16")]
    public void TheSameUpdatesInAnyArrivalOrderCommitByteIdenticalModels(string assignments)
    {
        var models = ArrivalOrders.Select(arrival => File.ReadAllBytes(RunTwoRounds(assignments, arrival, ordered: true))).ToList();

        Assert.All(models, model => Assert.Equal(models[0], model));
        Assert.NotEqual(File.ReadAllBytes(_global), models[0]);
    }

    [Fact]
    public void FoldingInArrivalOrderWouldCommitDifferentModels()
    {
        // Why the SuperLink waits for its turn: float32 sums of these values depend on the order of their terms.
        var models = ArrivalOrders.Select(arrival => Convert.ToHexString(File.ReadAllBytes(RunTwoRounds("strategy=fedavg", arrival, ordered: false)))).ToList();

        Assert.True(models.Distinct().Count() > 1, "folding in arrival order gave the same bytes for every order; the test data does not exercise rounding");
    }

    /// <summary>One run: fresh random node ids, results arriving in <paramref name="arrival"/> order; returns the round-2 model.</summary>
    private string RunTwoRounds(string assignments, int[] arrival, bool ordered)
    {
        var config = VectorModels.Config(assignments);
        var strategy = StrategyCatalog.Create(config);
        var stateDirectory = Path.Combine(_models.Directory, $"state-{Guid.NewGuid():N}");
        var nodes = Datasets.Select(d => new AvailableNode($"node-{Guid.NewGuid():N}"[..17], d, 100)).ToList();
        var global = _global;
        for (var round = 1; round <= 2; round++)
        {
            using var aggregator = strategy.BeginAggregateTrain(round, config, global, stateDirectory);
            var order = new FoldOrder(NodeSampling.CanonicalOrder(nodes).Select(n => n.NodeId).ToList());
            foreach (var index in arrival)
            {
                if (index == FailingDataset)
                {
                    if (ordered) foreach (var due in order.Skip(nodes[index].NodeId)) aggregator.Add(due);
                    continue;
                }
                var update = new TrainUpdate(nodes[index].NodeId, _updatePaths[round - 1][index], Examples[index], new Dictionary<string, double>());
                if (ordered) foreach (var due in order.Offer(update)) aggregator.Add(due);
                else aggregator.Add(update);
            }
            Assert.True(!ordered || order.IsComplete);
            global = Path.Combine(_models.Directory, $"model-{Guid.NewGuid():N}");
            using var output = File.Create(global);
            aggregator.WriteGlobalModel(output);
        }
        return global;
    }
}
