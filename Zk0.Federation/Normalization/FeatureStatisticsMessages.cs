namespace Zk0.Federation.Normalization;

/// <summary>Between <see cref="FeatureStatistics"/> and its wire message.</summary>
public static class FeatureStatisticsMessages
{
    public static Protocol.FeatureStatistics ToMessage(this FeatureStatistics stats) => new()
    {
        Feature = stats.Feature,
        Count = stats.Count,
        Min = { stats.Min },
        Max = { stats.Max },
        Mean = { stats.Mean },
        Std = { stats.Std },
    };

    public static FeatureStatistics FromMessage(this Protocol.FeatureStatistics message) =>
        new(message.Feature, message.Count, message.Min.ToArray(), message.Max.ToArray(), message.Mean.ToArray(), message.Std.ToArray());
}
