namespace Zk0.Cli.Compare.Statistics;

/// <summary>
/// One metric over the seeds: the values, their mean, sample standard deviation (n-1) and the half-width of the 95 %
/// confidence interval of the mean, t(0.975, n-1)·sd/√n (null with a single seed: one value says nothing about spread).
/// </summary>
public sealed record SeedSummary(IReadOnlyList<double> Values, double Mean, double? StandardDeviation, double? HalfWidth95)
{
    public int Count => Values.Count;

    public static SeedSummary Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("A summary needs at least one value.", nameof(values));
        var mean = values.Average();
        if (values.Count == 1) return new SeedSummary(values, mean, null, null);
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return new SeedSummary(values, mean, sd, StudentT.Quantile975(values.Count - 1) * sd / Math.Sqrt(values.Count));
    }

    /// <summary>
    /// The 95 % interval cut to the values the metric can take: with few seeds a success rate's interval can reach past
    /// 0 or 1, and a chart should not draw what cannot happen. Null with a single seed.
    /// </summary>
    public (double Low, double High)? Interval95Within(double min, double max) =>
        HalfWidth95 is { } half ? (Math.Max(min, Mean - half), Math.Min(max, Mean + half)) : null;
}
