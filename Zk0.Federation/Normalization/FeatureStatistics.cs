namespace Zk0.Federation.Normalization;

/// <summary>
/// Per-dimension statistics of one numeric feature over <see cref="Count"/> frames, as LeRobot's <c>meta/stats.json</c>
/// holds them: what a node may tell the federation about its data without a single frame leaving it.
/// </summary>
public sealed record FeatureStatistics(string Feature, long Count, double[] Min, double[] Max, double[] Mean, double[] Std)
{
    /// <summary>A feature of more dimensions than this is not a robot's state or action.</summary>
    public const int MaxDimensions = 1024;

    public int Dimensions => Mean.Length;

    /// <summary>Null when the statistics are usable; otherwise what is wrong with them, naming the feature.</summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(Feature)) return "a feature has no name";
        if (Count <= 0) return $"'{Feature}' has count {Count}; statistics need at least one frame";
        if (Mean.Length is 0 or > MaxDimensions) return $"'{Feature}' has {Mean.Length} dimensions; expected 1 to {MaxDimensions}";
        if (Min.Length != Mean.Length || Max.Length != Mean.Length || Std.Length != Mean.Length)
            return $"'{Feature}' has min, max, mean and std of {Min.Length}, {Max.Length}, {Mean.Length} and {Std.Length} values; they must all have one per dimension";
        for (var d = 0; d < Mean.Length; d++)
        {
            if (!double.IsFinite(Min[d]) || !double.IsFinite(Max[d]) || !double.IsFinite(Mean[d]) || !double.IsFinite(Std[d]))
                return $"'{Feature}' has a value that is not a finite number in dimension {d}";
            if (Std[d] < 0) return $"'{Feature}' has a negative std ({Std[d]}) in dimension {d}";
            if (Min[d] > Max[d]) return $"'{Feature}' has min {Min[d]} above max {Max[d]} in dimension {d}";
        }
        return null;
    }
}
