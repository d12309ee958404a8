using System.Globalization;
using Zk0.Federation.Normalization;
using Zk0.Federation.Safetensors;

namespace Zk0.Federation.Runs;

/// <summary>A run's configuration map, parsed and checked in one place (SuperLink, AppHost and CLI use the same rules).</summary>
public sealed record RunConfiguration(
    IReadOnlyDictionary<string, string> Values,
    int NumServerRounds,
    double FractionTrain,
    int MinTrainNodes,
    long Seed,
    string Strategy,
    TimeSpan RoundTimeout,
    TimeSpan EvalTimeout,
    TimeSpan NodeWaitTimeout,
    bool ServerEval,
    string? InitialModelHash)
{
    /// <summary>Server evaluation runs every <c>eval-frequency</c> rounds, and always after the last round.</summary>
    public int EvalFrequency { get; init; } = 1;

    /// <summary>
    /// <c>wire-dtype</c>: the dtype of every model on the wire (initial model, updates, committed global models), F32
    /// or BF16. Null when the run does not set it: nodes then send float32 and the SuperLink keeps each tensor's dtype.
    /// </summary>
    public SafetensorsDType? WireDType { get; init; }

    /// <summary>
    /// <c>max-update-norm</c>: the largest L2 distance (over the floating-point tensors) an update may have from the
    /// round's global model; a farther one is rejected. Null when the run does not set it (no bound).
    /// </summary>
    public double? MaxUpdateNorm { get; init; }

    /// <summary><c>normalization-stats</c> as submitted; null when the SuperLink pools the nodes' statistics.</summary>
    public NormalizationStatistics? Normalization { get; init; }

    public bool EvaluatesRound(int round) => ServerEval && (round % EvalFrequency == 0 || round == NumServerRounds);

    private static NormalizationStatistics? NormalizationOf(IReadOnlyDictionary<string, string> values)
    {
        if (!values.TryGetValue(RunConfigKeys.NormalizationStats, out var json)) return null;
        try
        {
            return NormalizationStatistics.Parse(json);
        }
        catch (FormatException e)
        {
            throw new RunConfigurationException(RunConfigKeys.NormalizationStats, json.Length > 80 ? json[..80] + "…" : json,
                $"statistics in LeRobot's stats.json layout, {{\"action\": {{\"min\": [...], \"max\": [...], \"mean\": [...], \"std\": [...], \"count\": [N]}}, ...}} ({e.Message})");
        }
    }

    public static RunConfiguration Parse(IReadOnlyDictionary<string, string> values)
    {
        var config = new RunConfiguration(
            new Dictionary<string, string>(values),
            NumServerRounds: Int(values, RunConfigKeys.NumServerRounds, 3, min: 1, max: 100_000),
            FractionTrain: Double(values, RunConfigKeys.FractionTrain, 1.0, minExclusive: 0, max: 1),
            MinTrainNodes: Int(values, RunConfigKeys.MinTrainNodes, 1, min: 1, max: 100_000),
            Seed: Long(values, RunConfigKeys.Seed, 42),
            Strategy: values.GetValueOrDefault(RunConfigKeys.Strategy, "fedavg").Trim().ToLowerInvariant(),
            RoundTimeout: Seconds(values, RunConfigKeys.RoundTimeoutSeconds, 1800),
            EvalTimeout: Seconds(values, RunConfigKeys.EvalTimeoutSeconds, 600),
            NodeWaitTimeout: Seconds(values, RunConfigKeys.NodeWaitTimeoutSeconds, 600),
            ServerEval: Bool(values, RunConfigKeys.ServerEval, true),
            InitialModelHash: values.TryGetValue(RunConfigKeys.InitialModel, out var hash) && hash.Length > 0 ? hash.Trim().ToLowerInvariant() : null)
        {
            EvalFrequency = Int(values, RunConfigKeys.EvalFrequency, 1, min: 1, max: 100_000),
            WireDType = WireDTypeOf(values),
            MaxUpdateNorm = values.ContainsKey(RunConfigKeys.MaxUpdateNorm) ? Double(values, RunConfigKeys.MaxUpdateNorm, 0, minExclusive: 0, max: double.MaxValue) : null,
            Normalization = NormalizationOf(values),
        };
        if (config.InitialModelHash is { } h && !Blobs.ContentHash.IsWellFormed(h))
            throw new RunConfigurationException(RunConfigKeys.InitialModel, h, "a SHA-256 as 64 hex characters (the hash of an uploaded blob)");
        if (values.TryGetValue(RunConfigKeys.DriftCorrection, out var drift) && drift.Trim().Equals("scaffold", StringComparison.OrdinalIgnoreCase)
            && !Strategies.ControlVariateTensors.AveragingStrategies.Contains(config.Strategy))
            throw new RunConfigurationException(RunConfigKeys.DriftCorrection, drift,
                $"'none' with strategy={config.Strategy}: SCAFFOLD's control variates must be averaged, and {config.Strategy} would step or select them " +
                $"(use strategy={string.Join(" or ", Strategies.ControlVariateTensors.AveragingStrategies)} with drift-correction=scaffold)");
        return config;
    }

    /// <summary>Parses "key=value key2=value2" (the AppHost's and CLI's --run-config syntax); later keys win.</summary>
    public static Dictionary<string, string> ParseAssignments(string? text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in (text ?? "").Split([' ', '\n', '\t', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0)
                throw new RunConfigurationException(part, "", "key=value pairs separated by spaces, e.g. \"num-server-rounds=2 seed=7\"");
            result[part[..eq].Trim()] = part[(eq + 1)..].Trim().Trim('"');
        }
        return result;
    }

    private static int Int(IReadOnlyDictionary<string, string> v, string key, int fallback, int min, int max)
    {
        if (!v.TryGetValue(key, out var s)) return fallback;
        if (int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var x) && x >= min && x <= max) return x;
        throw new RunConfigurationException(key, s, $"an integer from {min} to {max}");
    }

    private static long Long(IReadOnlyDictionary<string, string> v, string key, long fallback)
    {
        if (!v.TryGetValue(key, out var s)) return fallback;
        if (long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var x)) return x;
        throw new RunConfigurationException(key, s, "an integer");
    }

    private static double Double(IReadOnlyDictionary<string, string> v, string key, double fallback, double minExclusive, double max)
    {
        if (!v.TryGetValue(key, out var s)) return fallback;
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x > minExclusive && x <= max) return x;
        throw new RunConfigurationException(key, s, $"a number above {minExclusive} and at most {max}");
    }

    private static TimeSpan Seconds(IReadOnlyDictionary<string, string> v, string key, double fallback)
    {
        if (!v.TryGetValue(key, out var s)) return TimeSpan.FromSeconds(fallback);
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x > 0 && x <= 7 * 24 * 3600) return TimeSpan.FromSeconds(x);
        throw new RunConfigurationException(key, s, "a number of seconds above 0");
    }

    private static SafetensorsDType? WireDTypeOf(IReadOnlyDictionary<string, string> v)
    {
        if (!v.TryGetValue(RunConfigKeys.WireDType, out var s)) return null;
        return s.Trim().ToLowerInvariant() switch
        {
            "float32" or "f32" => SafetensorsDType.F32,
            "bfloat16" or "bf16" => SafetensorsDType.BF16,
            _ => throw new RunConfigurationException(RunConfigKeys.WireDType, s, "float32 or bfloat16"),
        };
    }

    private static bool Bool(IReadOnlyDictionary<string, string> v, string key, bool fallback)
    {
        if (!v.TryGetValue(key, out var s)) return fallback;
        return s.Trim().ToLowerInvariant() switch
        {
            "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => throw new RunConfigurationException(key, s, "true or false"),
        };
    }
}
