using Zk0.Federation.Runs;
using Zk0.Federation.Strategies;

namespace Zk0.Tests.Federation.Strategies;

public sealed class StrategyCatalogTests
{
    [Theory]
    [InlineData("fedavg"), InlineData("fedprox"), InlineData("fedavgm"), InlineData("fedadam"), InlineData("fedyogi")]
    [InlineData("fedadagrad"), InlineData("fedmedian"), InlineData("fedtrimmedavg"), InlineData("krum"), InlineData("multikrum")]
    public void EveryStrategyIsChosenByItsRunConfigName(string name)
    {
        var strategy = VectorModels.Strategy($"strategy={name}");

        Assert.Equal(name, strategy.Name);
        Assert.False(string.IsNullOrWhiteSpace(strategy.Summary()));
    }

    [Theory]
    [InlineData("strategy=fedadam beta-1=1.5", "beta-1")]
    [InlineData("strategy=fedadam beta-2=1", "beta-2")]
    [InlineData("strategy=fedyogi tau=0", "tau")]
    [InlineData("strategy=fedavgm server-learning-rate=fast", "server-learning-rate")]
    [InlineData("strategy=fedavgm server-momentum=-0.1", "server-momentum")]
    [InlineData("strategy=fedprox proximal-mu=-1", "proximal-mu")]
    [InlineData("strategy=fedtrimmedavg trimmed-beta=0.5", "trimmed-beta")]
    [InlineData("strategy=krum num-malicious-nodes=-1", "num-malicious-nodes")]
    [InlineData("strategy=multikrum num-nodes-to-keep=2.5", "num-nodes-to-keep")]
    [InlineData("strategy=fedsgd", "strategy")]
    public void BadStrategyValuesNameTheKeyAndWhatIsExpected(string config, string key)
    {
        var error = Assert.Throws<RunConfigurationException>(() => VectorModels.Strategy(config));

        Assert.Equal(key, error.Key);
        Assert.Contains($"'{key}=", error.Message);
        Assert.Contains("expected", error.Message);
    }

    [Fact]
    public void AveragingStrategiesNeedMemoryIndependentOfTheNodeCount()
    {
        const long parameters = 1_000_000;
        foreach (var name in new[] { "fedavg", "fedprox", "fedavgm", "fedadam", "fedyogi", "fedadagrad" })
        {
            var strategy = VectorModels.Strategy($"strategy={name}");
            Assert.Equal(strategy.EstimateMemory(2, parameters), strategy.EstimateMemory(200, parameters));
            Assert.True(strategy.EstimateMemory(2, parameters).HeapBytes >= 4 * parameters);
        }
        // Adam keeps m and v (two float32 copies) memory-mapped from its state file.
        Assert.Equal(8 * parameters, VectorModels.Strategy("strategy=fedadam").EstimateMemory(4, parameters).MappedBytes);
    }

    [Fact]
    public void StoredUpdateStrategiesReportMemoryPerUpdateChunkNotPerUpdate()
    {
        const long parameters = 1_000_000;
        var chunk = 4L * FloatTensors.ChunkLength;
        var raw = 8L * FloatTensors.ChunkLength;

        // n updates: one float32 chunk each plus one chunk of raw bytes in memory; the updates are read from disk, not mapped.
        Assert.Equal(new AggregationMemory(10 * chunk + raw, 0), new FedMedian().EstimateMemory(10, parameters));
        Assert.Equal(new AggregationMemory(10 * chunk + raw, 0), VectorModels.Strategy("strategy=fedtrimmedavg").EstimateMemory(10, parameters));
        // Krum adds the n×n distance matrix of doubles.
        Assert.Equal(new AggregationMemory(10 * chunk + raw + 8 * 100, 0), VectorModels.Strategy("strategy=krum").EstimateMemory(10, parameters));
        // Larger updates need no more memory.
        Assert.Equal(new FedMedian().EstimateMemory(10, parameters), new FedMedian().EstimateMemory(10, 1000 * parameters));
    }
}
