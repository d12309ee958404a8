using Zk0.Datasets.Samples;
using Zk0.Policy.Abstractions;

namespace Zk0.Policy.Checkpoints;

/// <summary>A policy feature as LeRobot's processors name it: <c>type</c> (VISUAL, STATE or ACTION) and <c>shape</c>.</summary>
public sealed record CheckpointFeature(string Type, int[] Shape);

/// <summary>
/// The normalization a policy was trained with, in LeRobot's terms: the features, a mode per feature type
/// (<c>norm_map</c>: IDENTITY, MEAN_STD or MIN_MAX) and the statistics by <c>&lt;feature&gt;.&lt;stat&gt;</c>
/// (e.g. <c>observation.state.mean</c>), as a normalizer processor's state file holds them.
/// </summary>
public sealed record CheckpointNormalization(
    IReadOnlyDictionary<string, CheckpointFeature> Features,
    IReadOnlyDictionary<string, string> NormMap,
    IReadOnlyDictionary<string, float[]> Stats)
{
    public const string Identity = "IDENTITY";
    public const string MeanStd = "MEAN_STD";
    public const string MinMax = "MIN_MAX";

    public const string Visual = "VISUAL";
    public const string State = "STATE";
    public const string Action = "ACTION";

    /// <summary>The features the policy outputs (what the post-processor un-normalizes).</summary>
    public IReadOnlyDictionary<string, CheckpointFeature> OutputFeatures =>
        Features.Where(f => f.Value.Type == Action).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);

    /// <summary>The statistics of the given features only.</summary>
    public IReadOnlyDictionary<string, float[]> StatsOf(IEnumerable<string> features)
    {
        var wanted = features.ToHashSet(StringComparer.Ordinal);
        return Stats.Where(s => wanted.Contains(FeatureOfStat(s.Key))).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
    }

    /// <summary>The feature a statistic key belongs to: everything before the last dot.</summary>
    public static string FeatureOfStat(string statKey) => statKey[..statKey.LastIndexOf('.')];

    /// <summary>What <paramref name="dataset"/>'s loader applies (see below); null for a dataset that normalizes nothing.</summary>
    public static CheckpointNormalization? Of(Abstractions.IPolicyDataset dataset) =>
        dataset.Normalization is { } normalizer ? FromDataset(dataset.Features, normalizer) : null;

    /// <summary>
    /// What a run's models were trained with: <paramref name="dataset"/> normalized as the run says (its
    /// <c>normalization-stats</c>), its own statistics for a run without them.
    /// </summary>
    public static CheckpointNormalization? OfRun(Abstractions.IPolicyDataset dataset, Abstractions.RunSettings settings) =>
        Of(Abstractions.RunNormalizationView.NormalizedFor(dataset, settings));

    /// <summary>
    /// What the dataset loader applies to a policy's batches (<see cref="Normalizer"/>): state and action with their
    /// mode and the dataset's statistics, cameras as VISUAL features.
    /// </summary>
    public static CheckpointNormalization FromDataset(PolicyFeatures features, Normalizer normalizer)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(normalizer);
        var described = new Dictionary<string, CheckpointFeature>(StringComparer.Ordinal);
        foreach (var camera in features.Cameras)
            described[camera.Key] = new CheckpointFeature(Visual, [camera.Channels, camera.Height, camera.Width]);
        described[Abstractions.Data.LeRobotPolicyDataset.StateKey] = new CheckpointFeature(State, [features.StateDim]);
        described[Abstractions.Data.LeRobotPolicyDataset.ActionKey] = new CheckpointFeature(Action, [features.ActionDim]);

        var normMap = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Visual] = features.Cameras.Count == 0 ? Identity : ModeName(normalizer.ModeOf(features.Cameras[0].Key)),
            [State] = ModeName(normalizer.ModeOf(Abstractions.Data.LeRobotPolicyDataset.StateKey)),
            [Action] = ModeName(normalizer.ModeOf(Abstractions.Data.LeRobotPolicyDataset.ActionKey)),
        };
        var stats = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (name, feature) in described)
        {
            var mode = normMap[feature.Type];
            if (mode == Identity) continue;
            var featureStats = normalizer.StatsOf(name)
                ?? throw new InvalidOperationException($"The dataset normalizes '{name}' with {mode} but has no statistics for it.");
            var saved = mode == MeanStd
                ? new[] { ("mean", featureStats.Mean), ("std", featureStats.Std) }
                : [("min", featureStats.Min), ("max", featureStats.Max)];
            foreach (var (stat, values) in saved)
                stats[$"{name}.{stat}"] = values.Select(v => (float)v).ToArray();
        }
        return new CheckpointNormalization(described, normMap, stats);
    }

    private static string ModeName(NormalizationMode mode) => mode switch
    {
        NormalizationMode.MeanStd => MeanStd,
        NormalizationMode.MinMax => MinMax,
        _ => Identity,
    };
}
