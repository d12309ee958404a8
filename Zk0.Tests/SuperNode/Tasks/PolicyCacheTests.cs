using Zk0.Policy.Abstractions;
using Zk0.SuperNode.Tasks;
using static TorchSharp.torch;

namespace Zk0.Tests.SuperNode.Tasks;

public sealed class PolicyCacheTests
{
    private static readonly PolicyFeatures Features = Zk0.Tests.Policy.BehaviourCloning.TinyPolicyData.Features;

    private static RunSettings Round(int round, double learningRate, long seed = 7, string driftCorrection = "none") => RunSettings.From(new Dictionary<string, string>
    {
        ["policy"] = "bc", ["seed"] = seed.ToString(), ["server-round"] = round.ToString(), ["learning-rate"] = learningRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["drift-correction"] = driftCorrection,
    });

    [Fact]
    public void ARunsRoundsReuseOnePolicyWhateverTheyScheduleAndAnotherRunOrSeedGetsItsOwn()
    {
        using var cache = new PolicyCache(PolicyCatalog.Builtin());

        var first = cache.For("run-a", Round(1, 1e-3), Features, CPU);
        var second = cache.For("run-a", Round(2, 7e-4), Features, CPU);
        Assert.Same(first, second);

        var otherSeed = cache.For("run-a", Round(3, 5e-4, seed: 8), Features, CPU);
        Assert.NotSame(second, otherSeed);
        Assert.NotSame(otherSeed, cache.For("run-b", Round(1, 1e-3, seed: 8), Features, CPU));
    }

    [Fact]
    public void AScaffoldRunKeepsOneCorrectionAcrossItsRoundsAndAPlainRunHasNone()
    {
        using var cache = new PolicyCache(PolicyCatalog.Builtin());

        Assert.Null(cache.For("run-plain", Round(1, 1e-3), Features, CPU).DriftCorrection);
        var first = cache.For("run-scaffold", Round(1, 1e-3, driftCorrection: "scaffold"), Features, CPU);
        var second = cache.For("run-scaffold", Round(2, 7e-4, driftCorrection: "scaffold"), Features, CPU);

        Assert.NotNull(first.DriftCorrection);
        Assert.Same(first.DriftCorrection, second.DriftCorrection);
        Assert.Equal(first.Policy.TrainableTensors.Count, first.DriftCorrection.NodeControl.Count);
    }
}
