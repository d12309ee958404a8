using Zk0.Federation.Runs;
using Zk0.Federation.Safetensors;
using Zk0.Federation.Strategies;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.Federation.Strategies;

public sealed class FedAvgAggregationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("zk0-fedavg-").FullName;
    private static readonly RunConfiguration Config = RunConfiguration.Parse(new Dictionary<string, string>());

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Save(string name, TinyModel model)
    {
        var path = Path.Combine(_dir, name);
        model.Save(path);
        return path;
    }

    private TinyModel Aggregate(string global, params (string Path, long Examples)[] updates)
    {
        using var aggregator = new FedAvg().BeginAggregateTrain(1, Config, global);
        foreach (var (path, examples) in updates) aggregator.Add(new TrainUpdate(Path.GetFileName(path), path, examples, new Dictionary<string, double>()));
        var output = Path.Combine(_dir, $"out-{Guid.NewGuid():N}.safetensors");
        using (var stream = File.Create(output)) aggregator.WriteGlobalModel(stream);
        return TinyModel.Load(output);
    }

    [Fact]
    public void AverageIsWeightedByExamplesForEveryFloatDtype()
    {
        var global = Save("global", TinyModel.Uniform(0, step: 7));
        // Node A (1 example): weight [1,2,3,4], bias [2,4], head [0.5,1]; node B (3 examples): weight [5,6,7,8], bias [6,8], head [1.5,3].
        var a = Save("a", new TinyModel([1, 2, 3, 4], [2, 4], [0.5f, 1], 1));
        var b = Save("b", new TinyModel([5, 6, 7, 8], [6, 8], [1.5f, 3], 1));

        var result = Aggregate(global, (a, 1), (b, 3));

        // (1·1 + 3·5)/4 = 4, (2 + 18)/4 = 5, (3 + 21)/4 = 6, (4 + 24)/4 = 7
        Assert.Equal([4f, 5f, 6f, 7f], result.Weight);
        // BF16: (2 + 18)/4 = 5, (4 + 24)/4 = 7 — exact in bfloat16
        Assert.Equal([5f, 7f], result.Bias);
        // F16: (0.5 + 4.5)/4 = 1.25, (1 + 9)/4 = 2.5
        Assert.Equal([1.25f, 2.5f], result.Head);
        // Integer tensors keep the global model's value.
        Assert.Equal(7, result.Step);
    }

    [Fact]
    public void OrderOfArrivalDoesNotChangeTheAverage()
    {
        var global = Save("global", TinyModel.Uniform(0));
        var a = Save("a", new TinyModel([0.1f, 0.2f, 0.3f, 0.4f], [1, 1], [1, 1], 0));
        var b = Save("b", new TinyModel([0.5f, 0.6f, 0.7f, 0.8f], [3, 3], [2, 2], 0));
        var c = Save("c", new TinyModel([0.9f, 1.0f, 1.1f, 1.2f], [5, 5], [4, 4], 0));

        var forward = Aggregate(global, (a, 2), (b, 5), (c, 3));
        var backward = Aggregate(global, (c, 3), (b, 5), (a, 2));

        // (2·0.1 + 5·0.5 + 3·0.9)/10 = 0.54
        Assert.Equal(0.54f, forward.Weight[0], 5);
        for (var i = 0; i < 4; i++) Assert.Equal(forward.Weight[i], backward.Weight[i], 5);
        // (2·1 + 5·3 + 3·5)/10 = 3.2, stored as bfloat16 (nearest: 3.203125)
        Assert.Equal(3.203125f, forward.Bias[0]);
    }

    [Fact]
    public void RejectedUpdateLeavesTheAggregateUntouched()
    {
        var global = Save("global", TinyModel.Uniform(0));
        var good = Save("good", TinyModel.Uniform(2));
        var wrongShape = Path.Combine(_dir, "wrong-shape");
        using (var file = File.Create(wrongShape))
            SafetensorsWriter.Write(file, [new SafetensorsEntry("layer.weight", SafetensorsDType.F32, [4], 16, s => s.Write(new byte[16]))]);

        using var aggregator = new FedAvg().BeginAggregateTrain(1, Config, global);
        aggregator.Add(new TrainUpdate("good", good, 10, new Dictionary<string, double>()));
        var error = Assert.Throws<UpdateRejectedException>(() => aggregator.Add(new TrainUpdate("bad-node", wrongShape, 10, new Dictionary<string, double>())));
        Assert.Contains("bad-node", error.Message);
        Assert.Contains("layer.weight", error.Message);
        var zeroWeight = Assert.Throws<UpdateRejectedException>(() => aggregator.Add(new TrainUpdate("empty-node", good, 0, new Dictionary<string, double>())));
        Assert.Contains("empty-node", zeroWeight.Message);

        Assert.Equal(1, aggregator.UpdatesAggregated);
        var output = Path.Combine(_dir, "out");
        using (var stream = File.Create(output)) aggregator.WriteGlobalModel(stream);
        Assert.Equal([2f, 2f, 2f, 2f], TinyModel.Load(output).Weight);
    }

    [Theory]
    [InlineData("fedavg")]
    [InlineData("fedmedian")]
    public void AnUpdateWithoutTensorsArrivingFirstIsRejectedAndTheNextOnesAreNot(string strategy)
    {
        var global = Save("global", TinyModel.Uniform(0));
        var empty = Path.Combine(_dir, "empty");
        using (var file = File.Create(empty)) SafetensorsWriter.Write(file, []);
        var good = Save("good", TinyModel.Uniform(2));

        using var aggregator = StrategyCatalog.Create(RunConfiguration.Parse(new Dictionary<string, string> { ["strategy"] = strategy }))
            .BeginAggregateTrain(1, Config, global);
        var error = Assert.Throws<UpdateRejectedException>(() => aggregator.Add(new TrainUpdate("empty-node", empty, 10, new Dictionary<string, double>())));
        aggregator.Add(new TrainUpdate("good", good, 10, new Dictionary<string, double>()));

        Assert.Equal("Update from node empty-node carries 0 of the global model's 4 tensors (missing: [layer.weight, layer.bias, head.weight]).", error.Message);
        Assert.Equal(1, aggregator.UpdatesAggregated);
        var output = Path.Combine(_dir, "out");
        using (var stream = File.Create(output)) aggregator.WriteGlobalModel(stream);
        Assert.Equal([2f, 2f, 2f, 2f], TinyModel.Load(output).Weight);
    }

    [Fact]
    public void UpdateThatIsNotSafetensorsIsRejectedNamingTheNode()
    {
        var global = Save("global", TinyModel.Uniform(0));
        var junk = Path.Combine(_dir, "junk");
        File.WriteAllBytes(junk, [1, 2, 3]);
        using var aggregator = new FedAvg().BeginAggregateTrain(1, Config, global);

        var error = Assert.Throws<UpdateRejectedException>(() => aggregator.Add(new TrainUpdate("node-junk", junk, 1, new Dictionary<string, double>())));
        Assert.Contains("node-junk", error.Message);
    }

    [Fact]
    public void TrainMetricsAreExampleWeightedAverages()
    {
        var metrics = new FedAvg().AggregateTrainMetrics(1,
        [
            new TrainUpdate("a", "", 1, new Dictionary<string, double> { ["loss"] = 2.0, ["steps"] = 10 }),
            new TrainUpdate("b", "", 3, new Dictionary<string, double> { ["loss"] = 1.0 }),
        ]);
        Assert.Equal(1.25, metrics["loss"], 10);
        Assert.Equal(10, metrics["steps"], 10);
    }

    [Theory]
    [InlineData("fraction-train=1.0 min-train-nodes=1", 5, 5)]
    [InlineData("fraction-train=0.5 min-train-nodes=1", 5, 3)]
    [InlineData("fraction-train=0.1 min-train-nodes=2", 5, 2)]
    [InlineData("fraction-train=0.1 min-train-nodes=9", 5, 5)]
    public void SamplingTakesTheFractionButAtLeastTheMinimum(string config, int available, int expected)
    {
        var nodes = Enumerable.Range(0, available).Select(i => new AvailableNode($"node-{i}", $"ds-{i}", 10)).ToList();
        var runConfig = RunConfiguration.Parse(RunConfiguration.ParseAssignments(config));

        var assignments = new FedAvg().ConfigureTrain(3, runConfig, nodes);

        Assert.Equal(expected, assignments.Select(a => a.NodeId).Distinct().Count());
        Assert.All(assignments, a => Assert.Equal("3", a.Config["server-round"]));
        Assert.Equal(assignments.Select(a => a.NodeId), new FedAvg().ConfigureTrain(3, runConfig, nodes.AsEnumerable().Reverse().ToList()).Select(a => a.NodeId));
    }
}
