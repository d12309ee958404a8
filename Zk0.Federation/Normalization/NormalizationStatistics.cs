using System.Text.Json;
using System.Text.Json.Nodes;

namespace Zk0.Federation.Normalization;

/// <summary>
/// The statistics a run normalizes state and action with, the same on every node and on the evaluator, so that every
/// model of the run sees one coordinate system. The SuperLink pools them from the datasets of round 1's trainers; in
/// run configs and tasks they travel as <c>normalization-stats</c>, in LeRobot's <c>meta/stats.json</c> layout.
/// </summary>
public sealed record NormalizationStatistics(IReadOnlyList<FeatureStatistics> Features)
{
    public FeatureStatistics? Of(string feature) => Features.FirstOrDefault(f => f.Feature == feature);

    /// <summary>
    /// Statistics of the union of the datasets: counts add up, min and max are the extremes, mean and variance are the
    /// count-weighted pooled moments. A feature is pooled when every dataset has it, with the same dimensions.
    /// </summary>
    /// <exception cref="InvalidDataException">Two datasets describe a feature with different dimensions.</exception>
    public static NormalizationStatistics Pool(IReadOnlyList<NormalizationStatistics> datasets)
    {
        ArgumentOutOfRangeException.ThrowIfZero(datasets.Count);
        var shared = datasets[0].Features.Select(f => f.Feature).Where(name => datasets.All(d => d.Of(name) is not null));
        return new NormalizationStatistics(shared.Select(name => PoolFeature(datasets.Select(d => d.Of(name)!).ToList())).ToList());
    }

    private static FeatureStatistics PoolFeature(IReadOnlyList<FeatureStatistics> parts)
    {
        var dims = parts[0].Dimensions;
        if (parts.FirstOrDefault(p => p.Dimensions != dims) is { } other)
            throw new InvalidDataException($"'{parts[0].Feature}' has {dims} dimensions in one dataset and {other.Dimensions} in another; one policy cannot train on both.");
        var total = parts.Sum(p => p.Count);
        var min = new double[dims];
        var max = new double[dims];
        var mean = new double[dims];
        var std = new double[dims];
        for (var d = 0; d < dims; d++)
        {
            min[d] = parts.Min(p => p.Min[d]);
            max[d] = parts.Max(p => p.Max[d]);
            mean[d] = parts.Sum(p => p.Mean[d] * p.Count) / total;
            // E[x²] of the union minus its squared mean, written as spread around the pooled mean so it stays ≥ 0.
            var centred = parts.Sum(p => p.Count * (p.Std[d] * p.Std[d] + (p.Mean[d] - mean[d]) * (p.Mean[d] - mean[d])));
            std[d] = Math.Sqrt(centred / total);
        }
        return new FeatureStatistics(parts[0].Feature, total, min, max, mean, std);
    }

    /// <summary>LeRobot's stats.json layout: <c>{"action": {"min": [...], "max": [...], "mean": [...], "std": [...], "count": [N]}}</c>.</summary>
    public string ToJson()
    {
        var root = new JsonObject();
        foreach (var f in Features)
            root[f.Feature] = new JsonObject
            {
                ["min"] = Array(f.Min),
                ["max"] = Array(f.Max),
                ["mean"] = Array(f.Mean),
                ["std"] = Array(f.Std),
                ["count"] = new JsonArray(f.Count),
            };
        return root.ToJsonString();
    }

    private static JsonArray Array(double[] values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    /// <summary>Reads <see cref="ToJson"/>'s layout and checks every feature.</summary>
    /// <exception cref="FormatException">The text is not that layout, or a feature's statistics are unusable; the message says which.</exception>
    public static NormalizationStatistics Parse(string json)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("expected a JSON object of features");
        }
        catch (JsonException e)
        {
            throw new FormatException($"not JSON ({e.Message})");
        }
        if (root.Count == 0) throw new FormatException("no feature has statistics");
        var features = new List<FeatureStatistics>();
        foreach (var (name, node) in root)
        {
            if (node is not JsonObject stats) throw new FormatException($"'{name}' is not an object of min, max, mean, std and count");
            var count = Values(name, stats, "count");
            if (count.Length != 1 || count[0] != Math.Floor(count[0]))
                throw new FormatException($"'{name}'.count must be one whole number in a list, as [1234]");
            var feature = new FeatureStatistics(name, (long)count[0], Values(name, stats, "min"), Values(name, stats, "max"), Values(name, stats, "mean"), Values(name, stats, "std"));
            if (feature.Problem() is { } problem) throw new FormatException(problem);
            features.Add(feature);
        }
        return new NormalizationStatistics(features);
    }

    private static double[] Values(string feature, JsonObject stats, string key)
    {
        if (stats[key] is not JsonArray array) throw new FormatException($"'{feature}'.{key} is missing or not a list of numbers");
        try
        {
            return array.Select(v => v!.GetValue<double>()).ToArray();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new FormatException($"'{feature}'.{key} holds something other than numbers");
        }
    }
}
