namespace Zk0.Datasets.Stats;

/// <summary>Per-dimension statistics of one feature (images: one value per RGB channel, in [0,1]).</summary>
public sealed record FeatureStats(double[] Min, double[] Max, double[] Mean, double[] Std, long Count)
{
    /// <summary>Weighted mean and parallel variance, as LeRobot aggregates per-episode stats.</summary>
    public static FeatureStats Aggregate(IReadOnlyList<FeatureStats> parts)
    {
        if (parts.Count == 0) throw new ArgumentException("Nothing to aggregate.", nameof(parts));
        var dim = parts[0].Mean.Length;
        var min = Enumerable.Repeat(double.PositiveInfinity, dim).ToArray();
        var max = Enumerable.Repeat(double.NegativeInfinity, dim).ToArray();
        var mean = new double[dim];
        var total = parts.Sum(p => p.Count);
        foreach (var part in parts)
        {
            if (part.Mean.Length != dim) throw new DatasetException($"Cannot aggregate stats of dimension {part.Mean.Length} with {dim}.");
            for (var i = 0; i < dim; i++)
            {
                min[i] = Math.Min(min[i], part.Min[i]);
                max[i] = Math.Max(max[i], part.Max[i]);
                mean[i] += part.Mean[i] * part.Count / Math.Max(total, 1);
            }
        }
        var std = new double[dim];
        for (var i = 0; i < dim; i++)
        {
            double variance = 0;
            foreach (var part in parts)
            {
                var delta = part.Mean[i] - mean[i];
                variance += (part.Std[i] * part.Std[i] + delta * delta) * part.Count;
            }
            std[i] = Math.Sqrt(variance / Math.Max(total, 1));
        }
        return new FeatureStats(min, max, mean, std, total);
    }
}
