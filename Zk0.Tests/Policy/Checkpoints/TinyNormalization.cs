using Zk0.Datasets.Samples;
using Zk0.Datasets.Stats;
using Zk0.Policy.Checkpoints;
using Zk0.Tests.Policy.BehaviourCloning;

namespace Zk0.Tests.Policy.Checkpoints;

/// <summary>The normalization a loader would apply to the tiny data: MEAN_STD state and action with distinct statistics, identity images.</summary>
public static class TinyNormalization
{
    public static CheckpointNormalization Create()
    {
        var features = TinyPolicyData.Features;
        var stats = new Dictionary<string, FeatureStats>
        {
            ["observation.state"] = Stats(features.StateDim, offset: 0.5),
            ["action"] = Stats(features.ActionDim, offset: -1.25),
        };
        var modes = new Dictionary<string, NormalizationMode>
        {
            ["observation.state"] = NormalizationMode.MeanStd,
            ["action"] = NormalizationMode.MeanStd,
        };
        return CheckpointNormalization.FromDataset(features, new Normalizer(stats, modes));
    }

    private static FeatureStats Stats(int dim, double offset)
    {
        var values = Enumerable.Range(0, dim).Select(i => offset + 0.25 * i).ToArray();
        return new FeatureStats(values.Select(v => v - 2).ToArray(), values.Select(v => v + 2).ToArray(), values, values.Select(v => 0.5 + Math.Abs(v)).ToArray(), 100);
    }

    public static void AssertSame(CheckpointNormalization expected, CheckpointNormalization actual)
    {
        Assert.Equal(expected.NormMap.OrderBy(p => p.Key), actual.NormMap.OrderBy(p => p.Key));
        Assert.Equal(expected.Features.Keys.Order(), actual.Features.Keys.Order());
        foreach (var (name, feature) in expected.Features)
        {
            Assert.Equal(feature.Type, actual.Features[name].Type);
            Assert.Equal(feature.Shape, actual.Features[name].Shape);
        }
        Assert.Equal(expected.Stats.Keys.Order(), actual.Stats.Keys.Order());
        foreach (var (key, values) in expected.Stats)
            Assert.Equal(values, actual.Stats[key]);
    }
}
