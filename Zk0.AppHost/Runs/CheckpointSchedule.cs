using System.Globalization;
using Zk0.Federation.Runs;

namespace Zk0.AppHost.Runs;

/// <summary>Which rounds' global models the AppHost saves as checkpoints: every <c>checkpoint-interval</c> rounds (0 = only the final one).</summary>
public sealed record CheckpointSchedule(int Interval)
{
    public const string IntervalKey = "checkpoint-interval";
    public const int DefaultInterval = 5;

    public static CheckpointSchedule From(IReadOnlyDictionary<string, string> config)
    {
        if (!config.TryGetValue(IntervalKey, out var text) || string.IsNullOrWhiteSpace(text)) return new(DefaultInterval);
        if (!int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var interval) || interval < 0)
            throw new RunConfigurationException(IntervalKey, text, "a whole number of rounds, 0 or more (0 saves only the final model)");
        return new(interval);
    }

    public bool SavesRound(int round) => Interval > 0 && round > 0 && round % Interval == 0;
}
