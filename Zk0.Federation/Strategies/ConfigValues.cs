using System.Globalization;
using Zk0.Federation.Runs;

namespace Zk0.Federation.Strategies;

/// <summary>
/// Reads the optional, strategy- and schedule-specific keys of a <see cref="RunConfiguration"/> with the same
/// rules and the same <see cref="RunConfigurationException"/> as its core keys.
/// </summary>
public static class ConfigValues
{
    public static double Double(RunConfiguration config, string key, double fallback, double min, double max, bool minExclusive = false, bool maxExclusive = false)
    {
        if (!config.Values.TryGetValue(key, out var text) || string.IsNullOrWhiteSpace(text)) return fallback;
        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            && (minExclusive ? value > min : value >= min) && (maxExclusive ? value < max : value <= max))
            return value;
        var lower = minExclusive ? $"above {Format(min)}" : $"at least {Format(min)}";
        var upper = maxExclusive ? $"below {Format(max)}" : $"at most {Format(max)}";
        throw new RunConfigurationException(key, text, $"a number {lower} and {upper}");
    }

    public static int Int(RunConfiguration config, string key, int fallback, int min, int max)
    {
        if (!config.Values.TryGetValue(key, out var text) || string.IsNullOrWhiteSpace(text)) return fallback;
        if (int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        throw new RunConfigurationException(key, text, $"an integer from {min} to {max}");
    }

    public static string Choice(RunConfiguration config, string key, string fallback, params string[] allowed)
    {
        if (!config.Values.TryGetValue(key, out var text) || string.IsNullOrWhiteSpace(text)) return fallback;
        var value = text.Trim().ToLowerInvariant();
        return allowed.Contains(value) ? value : throw new RunConfigurationException(key, text, $"one of: {string.Join(", ", allowed)}");
    }

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
