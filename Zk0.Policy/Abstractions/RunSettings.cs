using System.Globalization;
using Zk0.Federation.Normalization;
using Zk0.Federation.Runs;
using Zk0.Federation.Safetensors;

namespace Zk0.Policy.Abstractions;

/// <summary>
/// The run-config keys (Flower/zk0 style) that nodes and the evaluator read from a task's config map,
/// with their defaults. Unknown keys are left to the policy (e.g. its size settings).
/// </summary>
public sealed record RunSettings(
    string PolicyType,
    long Seed,
    int LocalSteps,
    int BatchSize,
    double LearningRate,
    double ProximalMu,
    SafetensorsDType WireDType,
    int EvalBatchSize,
    Evaluation.ClosedLoopSettings ClosedLoop,
    IReadOnlyDictionary<string, string> Raw)
{
    /// <summary>Short key for the policy type (<c>policy=smolvla|bc</c>); <c>policy-type</c> is the long form.</summary>
    public const string PolicyKey = "policy";
    public const string PolicyTypeKey = "policy-type";
    public const string SeedKey = "seed";
    public const string LocalStepsKey = "local-steps";
    public const string BatchSizeKey = "batch-size";
    public const string LearningRateKey = "learning-rate";
    public const string ProximalMuKey = "proximal-mu";
    public const string WireDTypeKey = "wire-dtype";

    /// <summary>
    /// <c>scaffold</c>: each node corrects its local gradients toward the federation's direction, with control variates
    /// that travel beside the weights (<see cref="ScaffoldCorrection"/>; strategy fedavg or fedprox);
    /// <c>none</c> (the default): plain local training.
    /// </summary>
    public const string DriftCorrectionKey = Zk0.Federation.Runs.RunConfigKeys.DriftCorrection;

    /// <summary><c>adamw</c> (the default) or <c>sgd</c>: the optimizer of a node's local round (<see cref="LocalOptimizer"/>).</summary>
    public const string LocalOptimizerKey = "local-optimizer";

    public const string EvalBatchSizeKey = "eval-batch-size";

    /// <summary>A LeRobot checkpoint directory to start the run's policy from (any policy type that saves checkpoints).</summary>
    public const string PolicyPathKey = "policy-path";

    /// <summary>Closed-loop simulator episodes per <c>synth:</c> evaluation dataset and round; 0 turns closed-loop scoring off.</summary>
    public const string EvalEpisodesKey = "eval-episodes";

    /// <summary>Simulator steps (at the dataset's fps) a closed-loop episode may take before it counts as failed.</summary>
    public const string EvalMaxStepsKey = "eval-max-steps";

    /// <summary>
    /// Closed-loop episodes per simulator task the Evaluator records as MP4 videos each evaluated round (at most
    /// <c>eval-episodes</c>); 0 records none.
    /// </summary>
    public const string EvalVideosKey = "eval-videos";

    /// <summary>The held-out datasets the Evaluator scores a run's models on (comma-separated URIs); absent: the Evaluator's own list.</summary>
    public const string EvalDatasetsKey = "eval-datasets";

    /// <summary>
    /// Held-out datasets of tasks no node trains on, scored and reported apart from <see cref="EvalDatasetsKey"/>
    /// (comma-separated URIs, or <c>none</c>); absent: the Evaluator's own list (the AppHost's default: the synthetic tasks
    /// its local nodes do not train on).
    /// </summary>
    public const string EvalUnseenDatasetsKey = "eval-unseen-datasets";

    public const int DefaultEvalEpisodes = 1;
    public const int DefaultEvalMaxSteps = 300;
    public const int DefaultEvalVideos = 1;

    public const string DefaultPolicyType = "smolvla";

    /// <summary>Short names accepted for policy types.</summary>
    private static readonly IReadOnlyDictionary<string, string> PolicyAliases =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["bc"] = "behaviour-cloning" };

    public static RunSettings From(IReadOnlyDictionary<string, string> config)
    {
        var wire = Text(config, WireDTypeKey, "float32").ToLowerInvariant() switch
        {
            "float32" or "f32" => SafetensorsDType.F32,
            "bfloat16" or "bf16" => SafetensorsDType.BF16,
            var other => throw new ArgumentException($"Run setting '{WireDTypeKey}' must be 'float32' or 'bfloat16', got '{other}'."),
        };
        return new RunSettings(
            PolicyTypeOf(config),
            Number(config, SeedKey, 42L, long.Parse),
            Positive(config, LocalStepsKey, 10),
            Positive(config, BatchSizeKey, 8),
            Number(config, LearningRateKey, 1e-3, double.Parse),
            Number(config, ProximalMuKey, 0.0, double.Parse),
            wire,
            Positive(config, EvalBatchSizeKey, 16),
            new Evaluation.ClosedLoopSettings(NonNegative(config, EvalEpisodesKey, DefaultEvalEpisodes), Positive(config, EvalMaxStepsKey, DefaultEvalMaxSteps),
                NonNegative(config, EvalVideosKey, DefaultEvalVideos)),
            config)
        {
            Normalization = NormalizationOf(config),
            Scaffold = ScaffoldOf(config),
            LocalOptimizer = LocalOptimizerOf(config),
        };
    }

    private static bool ScaffoldOf(IReadOnlyDictionary<string, string> config) => Text(config, DriftCorrectionKey, "none").ToLowerInvariant() switch
    {
        "none" => false,
        "scaffold" => true,
        var other => throw new ArgumentException($"Run setting '{DriftCorrectionKey}' must be 'none' or 'scaffold', got '{other}'."),
    };

    private static LocalOptimizer LocalOptimizerOf(IReadOnlyDictionary<string, string> config) => Text(config, LocalOptimizerKey, "adamw").ToLowerInvariant() switch
    {
        "adamw" => LocalOptimizer.AdamW,
        "sgd" => LocalOptimizer.Sgd,
        var other => throw new ArgumentException($"Run setting '{LocalOptimizerKey}' must be 'adamw' or 'sgd', got '{other}'."),
    };

    private static NormalizationStatistics? NormalizationOf(IReadOnlyDictionary<string, string> config)
    {
        if (!config.TryGetValue(RunConfigKeys.NormalizationStats, out var json)) return null;
        try
        {
            return NormalizationStatistics.Parse(json);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"Run setting '{RunConfigKeys.NormalizationStats}' cannot be used: {e.Message}. It holds statistics in LeRobot's stats.json layout.");
        }
    }

    /// <summary>
    /// The run's normalization (<c>normalization-stats</c>): what the SuperLink pooled from round 1's trainers, or what the
    /// run config set. Null: each dataset is normalized with its own statistics.
    /// </summary>
    public NormalizationStatistics? Normalization { get; init; }

    /// <summary>The optimizer of a node's local round (<see cref="LocalOptimizerKey"/>).</summary>
    public LocalOptimizer LocalOptimizer { get; init; }

    /// <summary>Whether nodes correct their local gradients with SCAFFOLD's control variates (<see cref="DriftCorrectionKey"/>).</summary>
    public bool Scaffold { get; init; }

    public LocalTrainingOptions TrainingOptions(long seed) => new()
    {
        Steps = LocalSteps,
        LearningRate = LearningRate,
        ProximalMu = ProximalMu,
        Seed = seed,
        Optimizer = LocalOptimizer,
    };

    private static string PolicyTypeOf(IReadOnlyDictionary<string, string> config)
    {
        var name = Text(config, PolicyKey, Text(config, PolicyTypeKey, DefaultPolicyType));
        return PolicyAliases.TryGetValue(name, out var full) ? full : name;
    }

    private static string Text(IReadOnlyDictionary<string, string> config, string key, string fallback) =>
        config.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : fallback;

    private static int Positive(IReadOnlyDictionary<string, string> config, string key, int fallback)
    {
        var value = Number(config, key, fallback, int.Parse);
        if (value <= 0) throw new ArgumentException($"Run setting '{key}' must be a positive integer, got {value}.");
        return value;
    }

    private static int NonNegative(IReadOnlyDictionary<string, string> config, string key, int fallback)
    {
        if (!config.TryGetValue(key, out var text) || string.IsNullOrWhiteSpace(text)) return fallback;
        if (!int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < 0)
            throw new ArgumentException($"Run setting '{key}' must be a whole number of 0 or more (0 turns it off), got '{text}'.");
        return value;
    }

    private static T Number<T>(IReadOnlyDictionary<string, string> config, string key, T fallback, Func<string, IFormatProvider, T> parse)
    {
        if (!config.TryGetValue(key, out var text) || string.IsNullOrWhiteSpace(text)) return fallback;
        try
        {
            return parse(text.Trim(), CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            throw new ArgumentException($"Run setting '{key}' has the value '{text}', which is not a valid {typeof(T).Name}.");
        }
        catch (OverflowException)
        {
            throw new ArgumentException($"Run setting '{key}' has the value '{text}', which is out of range.");
        }
    }
}
