using Zk0.Datasets.Stats;
using Zk0.Federation.Normalization;

namespace Zk0.Policy.Abstractions;

/// <summary>A run's normalization (<c>normalization-stats</c>) applied to a dataset split, and a dataset's statistics as a node reports them.</summary>
public static class RunNormalizationView
{
    /// <summary>The split normalized as the run says; the split itself when the run leaves each dataset its own statistics.</summary>
    public static IPolicyDataset NormalizedFor(this IPolicyDataset split, RunSettings settings) =>
        settings.Normalization is { } run ? split.NormalizedWith(ToDatasetStats(run)) : split;

    public static IReadOnlyDictionary<string, FeatureStats> ToDatasetStats(NormalizationStatistics statistics) =>
        statistics.Features.ToDictionary(f => f.Feature, f => new FeatureStats(f.Min, f.Max, f.Mean, f.Std, f.Count), StringComparer.Ordinal);

    /// <summary>
    /// What a federation of these splits would normalize with (the SuperLink pools its round-1 trainers' statistics the
    /// same way); null when a split normalizes nothing.
    /// </summary>
    public static NormalizationStatistics? PooledStatistics(IEnumerable<IPolicyDataset> splits)
    {
        var each = splits.Select(StateAndActionStatistics).ToList();
        return each.Count == 0 || each.Any(s => s is null) ? null : NormalizationStatistics.Pool(each!);
    }

    /// <summary>The statistics of the split's state and action it is normalized with (the whole dataset's); null when it normalizes nothing.</summary>
    public static NormalizationStatistics? StateAndActionStatistics(this IPolicyDataset split)
    {
        if (split.Normalization is not { } normalizer) return null;
        var features = new[] { Data.LeRobotPolicyDataset.StateKey, Data.LeRobotPolicyDataset.ActionKey }
            .Select(key => normalizer.StatsOf(key) is { } s ? new FeatureStatistics(key, s.Count, s.Min, s.Max, s.Mean, s.Std) : null)
            .OfType<FeatureStatistics>().ToList();
        return features.Count == 0 ? null : new NormalizationStatistics(features);
    }
}
