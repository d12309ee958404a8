using Zk0.Federation.Runs;

namespace Zk0.Tests.Federation.Runs;

public sealed class RunConfigurationTests
{
    [Fact]
    public void DefaultsApplyWhenKeysAreMissing()
    {
        var config = RunConfiguration.Parse(new Dictionary<string, string>());
        Assert.Equal(3, config.NumServerRounds);
        Assert.Equal(1.0, config.FractionTrain);
        Assert.Equal(1, config.MinTrainNodes);
        Assert.Equal("fedavg", config.Strategy);
        Assert.True(config.ServerEval);
    }

    [Fact]
    public void AssignmentsParseFlowerStyleKeys()
    {
        var config = RunConfiguration.Parse(RunConfiguration.ParseAssignments("num-server-rounds=2 fraction-train=0.5 seed=7 local-steps=20"));
        Assert.Equal(2, config.NumServerRounds);
        Assert.Equal(0.5, config.FractionTrain);
        Assert.Equal(7, config.Seed);
        Assert.Equal("20", config.Values["local-steps"]);
    }

    [Theory]
    [InlineData("num-server-rounds", "zero")]
    [InlineData("num-server-rounds", "0")]
    [InlineData("fraction-train", "1.5")]
    [InlineData("min-train-nodes", "-1")]
    [InlineData("server-eval", "maybe")]
    [InlineData("initial-model", "not-a-hash")]
    [InlineData("wire-dtype", "float16")]
    [InlineData("max-update-norm", "0")]
    [InlineData("max-update-norm", "NaN")]
    [InlineData("max-update-norm", "Infinity")]
    [InlineData("normalization-stats", "{\"action\": {\"min\": [0], \"max\": [1], \"mean\": [0], \"std\": [-2], \"count\": [9]}}")]
    public void InvalidValueIsRejectedNamingKeyAndValue(string key, string value)
    {
        var error = Assert.Throws<RunConfigurationException>(() => RunConfiguration.Parse(new Dictionary<string, string> { [key] = value }));
        Assert.Contains(key, error.Message);
        Assert.Contains(value, error.Message);
    }

    [Fact]
    public void NormalizationStatisticsAreReadAndABadOneSaysWhatIsWrongAndTheLayoutExpected()
    {
        var config = RunConfiguration.Parse(new Dictionary<string, string>
            { ["normalization-stats"] = "{\"action\": {\"min\": [0], \"max\": [4], \"mean\": [2], \"std\": [1], \"count\": [9]}}" });
        Assert.Equal([2.0], config.Normalization!.Of("action")!.Mean);
        Assert.Null(RunConfiguration.Parse(new Dictionary<string, string>()).Normalization);

        var error = Assert.Throws<RunConfigurationException>(() => RunConfiguration.Parse(new Dictionary<string, string> { ["normalization-stats"] = "{\"action\": 1}" }));
        Assert.Contains("'action' is not an object", error.Message);
        Assert.Contains("stats.json layout", error.Message);
    }

    [Theory]
    [InlineData("fedadam")]
    [InlineData("krum")]
    public void ScaffoldIsRefusedWithAStrategyThatWouldStepOrSelectItsControlVariates(string strategy)
    {
        var error = Assert.Throws<RunConfigurationException>(() => RunConfiguration.Parse(
            new Dictionary<string, string> { ["strategy"] = strategy, ["drift-correction"] = "scaffold" }));

        Assert.Equal("drift-correction", error.Key);
        Assert.Contains($"strategy={strategy}", error.Message);
        Assert.Contains("strategy=fedavg or fedprox", error.Message);
        Assert.Equal("fedprox", RunConfiguration.Parse(new Dictionary<string, string> { ["strategy"] = "FedProx", ["drift-correction"] = "scaffold" }).Strategy);
    }

    [Fact]
    public void AssignmentWithoutEqualsSignIsRejected()
    {
        var error = Assert.Throws<RunConfigurationException>(() => RunConfiguration.ParseAssignments("num-server-rounds 2"));
        Assert.Contains("key=value", error.Message);
    }

    [Fact]
    public void ServerEvaluationRunsEveryEvalFrequencyRoundsAndAfterTheLast()
    {
        var config = RunConfiguration.Parse(RunConfiguration.ParseAssignments("num-server-rounds=5 eval-frequency=2"));

        Assert.Equal([2, 4, 5], Enumerable.Range(1, 5).Where(config.EvaluatesRound));
        Assert.True(RunConfiguration.Parse(new Dictionary<string, string>()).EvaluatesRound(1));
        Assert.Throws<RunConfigurationException>(() => RunConfiguration.Parse(new Dictionary<string, string> { ["eval-frequency"] = "0" }));
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("wire-dtype=float32", Zk0.Federation.Safetensors.SafetensorsDType.F32)]
    [InlineData("wire-dtype=bfloat16", Zk0.Federation.Safetensors.SafetensorsDType.BF16)]
    [InlineData("wire-dtype=BF16", Zk0.Federation.Safetensors.SafetensorsDType.BF16)]
    public void WireDTypeIsUnsetFloat32OrBfloat16(string assignments, Zk0.Federation.Safetensors.SafetensorsDType? expected) =>
        Assert.Equal(expected, RunConfiguration.Parse(RunConfiguration.ParseAssignments(assignments)).WireDType);

    [Theory]
    [InlineData("", null)]
    [InlineData("max-update-norm=12.5", 12.5)]
    public void MaxUpdateNormIsOffUnlessSet(string assignments, double? expected) =>
        Assert.Equal(expected, RunConfiguration.Parse(RunConfiguration.ParseAssignments(assignments)).MaxUpdateNorm);
}
