using Zk0.Datasets.Stats;

namespace Zk0.Datasets.Samples;

public enum NormalizationMode
{
    Identity,
    /// <summary>(x − mean) / (std + 1e-8), LeRobot's MEAN_STD.</summary>
    MeanStd,
    /// <summary>2 (x − min) / (max − min + 1e-8) − 1, LeRobot's MIN_MAX.</summary>
    MinMax,
}

/// <summary>Normalizes and un-normalizes feature values with the dataset stats, per last dimension.</summary>
public sealed class Normalizer(IReadOnlyDictionary<string, FeatureStats> stats, IReadOnlyDictionary<string, NormalizationMode> modes)
{
    private const double Eps = 1e-8;

    public NormalizationMode ModeOf(string key) => modes.GetValueOrDefault(key, NormalizationMode.Identity);

    /// <summary>The statistics a feature is normalized with; null when the dataset has none for it.</summary>
    public FeatureStats? StatsOf(string key) => stats.GetValueOrDefault(key);

    /// <summary>Normalizes in place; <paramref name="values"/> holds whole vectors of the feature's dimension, back to back.</summary>
    public void Normalize(string key, Span<float> values) => Apply(key, values, inverse: false);

    public void Unnormalize(string key, Span<float> values) => Apply(key, values, inverse: true);

    private void Apply(string key, Span<float> values, bool inverse)
    {
        var mode = ModeOf(key);
        if (mode == NormalizationMode.Identity) return;
        if (!stats.TryGetValue(key, out var s))
            throw new DatasetException($"Cannot normalize '{key}' with {mode}: the dataset has no stats for it (meta/stats.json or per-episode stats).");
        var dim = s.Mean.Length;
        if (dim == 0 || values.Length % dim != 0)
            throw new DatasetException($"Stats of '{key}' have {dim} values, which does not divide the {values.Length} values to normalize.");
        for (var i = 0; i < values.Length; i++)
        {
            var d = i % dim;
            double x = values[i];
            values[i] = (float)(mode switch
            {
                NormalizationMode.MeanStd => inverse ? x * (s.Std[d] + Eps) + s.Mean[d] : (x - s.Mean[d]) / (s.Std[d] + Eps),
                _ => inverse ? (x + 1) / 2 * (s.Max[d] - s.Min[d] + Eps) + s.Min[d] : 2 * (x - s.Min[d]) / (s.Max[d] - s.Min[d] + Eps) - 1,
            });
        }
    }
}
