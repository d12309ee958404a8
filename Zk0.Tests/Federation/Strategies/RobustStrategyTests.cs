using Zk0.Federation.Strategies;

namespace Zk0.Tests.Federation.Strategies;

/// <summary>FedMedian, FedTrimmedAvg, Krum and MultiKrum on updates small enough to sort and measure by hand.</summary>
public sealed class RobustStrategyTests : IDisposable
{
    private readonly VectorModels _models = new();

    public void Dispose() => _models.Dispose();

    [Fact]
    public void FedMedianTakesTheCoordinateWiseMedianIgnoringWeights()
    {
        var global = _models.Global(0, 0, 0);
        TrainUpdate[] three = [_models.Update("a", 1, 1, 10, -1), _models.Update("b", 100, 2, 20, 5), _models.Update("c", 1, 100, 0, 3)];

        // Columns sorted: [1, 2, 100] → 2; [0, 10, 20] → 10; [−1, 3, 5] → 3.
        Assert.Equal([2f, 10f, 3f], VectorModels.W(_models.Round(new FedMedian(), 1, global, three)));

        // With a fourth update [3, 30, 4]: [1, 2, 3, 100] → 2.5; [0, 10, 20, 30] → 15; [−1, 3, 4, 5] → 3.5.
        var four = _models.Round(new FedMedian(), 1, global, [.. three, _models.Update("d", 1, 3, 30, 4)]);
        Assert.Equal([2.5f, 15f, 3.5f], VectorModels.W(four));
        Assert.Equal([7.5f], VectorModels.Read(four, "frozen"));
        Assert.Equal(42, VectorModels.Step(four));
    }

    [Fact]
    public void FedTrimmedAvgCutsBetaOfTheValuesFromEachEnd()
    {
        var global = _models.Global(0, 0);
        TrainUpdate[] five =
        [
            _models.Update("a", 1, 1, -50), _models.Update("b", 9, 2, 0), _models.Update("c", 1, 3, 1),
            _models.Update("d", 1, 4, 2), _models.Update("e", 1, 100, 3),
        ];

        // β = 0.2, n = 5: cut ⌊1.0⌋ = 1 from each end. [1, 2, 3, 4, 100] → mean(2, 3, 4) = 3; [−50, 0, 1, 2, 3] → mean(0, 1, 2) = 1.
        Assert.Equal([3f, 1f], VectorModels.W(_models.Round(VectorModels.Strategy("strategy=fedtrimmedavg"), 1, global, five)));

        // β = 0.4: cut ⌊2.0⌋ = 2 from each end, leaving the median: 3 and 1.
        Assert.Equal([3f, 1f], VectorModels.W(_models.Round(VectorModels.Strategy("strategy=fedtrimmedavg trimmed-beta=0.4"), 1, global, five)));

        // β = 0.1: ⌊0.5⌋ = 0 cut, the plain mean: 110/5 = 22, −44/5 = −8.8.
        var mean = VectorModels.W(_models.Round(VectorModels.Strategy("strategy=fedtrimmedavg trimmed-beta=0.1"), 1, global, five));
        Assert.Equal(22f, mean[0], 5);
        Assert.Equal(-8.8f, mean[1], 5);
    }

    // A = [0, 0], B = [1, 0], C = [0, 1], D = [10, 10] (an outlier). Squared distances:
    // AB 1, AC 1, AD 200, BC 2, BD 181, CD 181.
    private TrainUpdate[] KrumUpdates() =>
    [
        _models.Update("node-a", 1, 0, 0), _models.Update("node-b", 1, 1, 0),
        _models.Update("node-c", 2, 0, 1), _models.Update("node-d", 1, 10, 10),
    ];

    [Fact]
    public void KrumPicksTheUpdateClosestToItsNeighbours()
    {
        var global = _models.Global(5, 5);
        var strategy = VectorModels.Strategy("strategy=krum num-malicious-nodes=0");
        using var aggregator = (KrumAggregator)strategy.BeginAggregateTrain(1, VectorModels.Config(), global);
        foreach (var update in KrumUpdates()) aggregator.Add(update);
        var output = Path.Combine(_models.Directory, "krum");
        using (var stream = File.Create(output)) aggregator.WriteGlobalModel(stream);

        // f = 0: each score sums the n − f − 2 = 2 nearest: A 1 + 1 = 2, B 1 + 2 = 3, C 1 + 2 = 3, D 181 + 181 = 362.
        Assert.Equal(181, aggregator.Distances![1, 3], 6);
        Assert.Equal([2.0, 3.0, 3.0, 362.0], aggregator.Scores!);
        Assert.Equal(["node-a"], aggregator.Selected);
        Assert.Equal([0f, 0f], VectorModels.W(output));
    }

    [Fact]
    public void MultiKrumAveragesTheBestUpdatesByExamples()
    {
        var global = _models.Global(5, 5);

        // f = 1: scores use max(1, 4 − 1 − 2) = 1 nearest: A 1, B 1, C 1, D 181; keep n − f = 3 → A, B, C with
        // examples 1, 1, 2: [(0 + 1 + 0)/4, (0 + 0 + 2)/4] = [0.25, 0.5]. The outlier D never counts.
        var byDefault = _models.Round(VectorModels.Strategy("strategy=multikrum num-malicious-nodes=1"), 1, global, KrumUpdates());
        Assert.Equal([0.25f, 0.5f], VectorModels.W(byDefault));

        // f = 0, m = 2: scores 2, 3, 3, 362 → A and B (the tie B/C goes to node-id order): [(0 + 1)/2, 0].
        var two = _models.Round(VectorModels.Strategy("strategy=multikrum num-nodes-to-keep=2"), 1, global, KrumUpdates());
        Assert.Equal([0.5f, 0f], VectorModels.W(two));
    }

    [Fact]
    public void ArrivalOrderDoesNotChangeRobustAggregates()
    {
        var global = _models.Global(5, 5);
        foreach (var config in new[] { "strategy=fedmedian", "strategy=fedtrimmedavg", "strategy=krum", "strategy=multikrum num-malicious-nodes=1" })
        {
            var forward = _models.Round(VectorModels.Strategy(config), 1, global, KrumUpdates());
            var backward = _models.Round(VectorModels.Strategy(config), 1, global, KrumUpdates().Reverse().ToArray());
            Assert.Equal(File.ReadAllBytes(forward), File.ReadAllBytes(backward));
        }
    }

    [Fact]
    public void StoredUpdatesAreReadFromDiskNeverMappedSoResidentMemoryDoesNotHoldThem()
    {
        // A mapped update adds every page read to the process's resident memory; /proc/self/maps lists what is mapped (Linux).
        if (!OperatingSystem.IsLinux()) return;
        var global = _models.Global(new float[100_000]);
        var updates = Enumerable.Range(1, 4).Select(i => _models.Update($"n{i}", i, Enumerable.Repeat((float)i, 100_000).ToArray())).ToArray();
        foreach (var config in new[] { "strategy=fedmedian", "strategy=fedtrimmedavg", "strategy=krum", "strategy=multikrum" })
        {
            using var aggregator = VectorModels.Strategy(config).BeginAggregateTrain(1, VectorModels.Config(config), global);
            foreach (var update in updates) aggregator.Add(update);
            using (var output = File.Create(Path.Combine(_models.Directory, "aggregated"))) aggregator.WriteGlobalModel(output);

            var mapped = File.ReadAllLines("/proc/self/maps");

            Assert.DoesNotContain(mapped, line => updates.Any(u => line.EndsWith(u.UpdatePath, StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void StoredUpdateAggregatorsRejectBadUpdatesNamingTheNode()
    {
        var global = _models.Global(0, 0);
        using var aggregator = new FedMedian().BeginAggregateTrain(1, VectorModels.Config(), global);
        aggregator.Add(_models.Update("good", 1, 1, 1));

        var wrongShape = Assert.Throws<UpdateRejectedException>(() => aggregator.Add(_models.Update("wide", 1, 1, 1, 1)));
        var twice = Assert.Throws<UpdateRejectedException>(() => aggregator.Add(_models.Update("good", 1, 2, 2)));
        var empty = Assert.Throws<UpdateRejectedException>(() => aggregator.Add(_models.Update("empty", 0, 2, 2)));
        var junkPath = Path.Combine(_models.Directory, "junk");
        File.WriteAllBytes(junkPath, [1, 2, 3]);
        var junk = Assert.Throws<UpdateRejectedException>(() => aggregator.Add(new TrainUpdate("junk-node", junkPath, 1, new Dictionary<string, double>())));

        Assert.Contains("wide", wrongShape.Message);
        Assert.Contains("'w'", wrongShape.Message);
        Assert.Contains("good", twice.Message);
        Assert.Contains("empty", empty.Message);
        Assert.Contains("junk-node", junk.Message);
        Assert.Equal(1, aggregator.UpdatesAggregated);
    }
}
