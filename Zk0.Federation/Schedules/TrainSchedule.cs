using System.Globalization;
using Zk0.Federation.Runs;
using Zk0.Federation.Strategies;

namespace Zk0.Federation.Schedules;

/// <summary>
/// A run's per-round training hyperparameters: the server-side adaptation moves the base learning rate and μ from
/// the evaluation trend, then the node-side schedule shapes the learning rate for the round. The result is written
/// into each round's train config (<c>learning-rate</c>, <c>proximal-mu</c>), the keys the nodes read.
/// </summary>
public sealed class TrainSchedule(ILearningRateSchedule schedule, IHyperparameterAdaptation adaptation, double baseLearningRate, double baseProximalMu,
    LossSpikeGuard? spikeGuard = null, NodeStallBoost? nodeBoost = null)
{
    /// <summary>The nodes' default learning rate when the run config sets none (Zk0.Policy's RunSettings default).</summary>
    public const double DefaultLearningRate = 1e-3;

    public ILearningRateSchedule Schedule => schedule;
    public IHyperparameterAdaptation Adaptation => adaptation;

    /// <summary>Rejects rounds whose evaluation loss spikes; null when loss-spike-threshold is not set.</summary>
    public LossSpikeGuard? SpikeGuard => spikeGuard;

    /// <summary>Boosts the learning rate of nodes whose own loss stalls; null when node-lr-boost is not set.</summary>
    public NodeStallBoost? NodeBoost => nodeBoost;

    /// <summary>True when the schedule changes what the nodes get from the run config.</summary>
    public bool ChangesTrainConfig => schedule is not ConstantSchedule || adaptation is not NoAdaptation;

    /// <summary>Reads the schedule keys; μ₀ is the strategy's (FedProx) or the run config's proximal-mu.</summary>
    public static TrainSchedule Parse(RunConfiguration config, IStrategy strategy)
    {
        var learningRate = ConfigValues.Double(config, ScheduleConfigKeys.LearningRate, DefaultLearningRate, min: 0, max: 1e3, minExclusive: true);
        var mu = strategy is FedProx prox ? prox.ProximalMu : ConfigValues.Double(config, StrategyConfigKeys.ProximalMu, 0, min: 0, max: 1e6);
        var minLearningRate = ConfigValues.Double(config, ScheduleConfigKeys.MinLearningRate, learningRate * 0.1, min: 0, max: 1e3);
        ILearningRateSchedule schedule = ConfigValues.Choice(config, ScheduleConfigKeys.LrSchedule, "constant", "constant", "cosine-warmup", "cosine-restarts") switch
        {
            "cosine-warmup" => new CosineWarmupSchedule(
                ConfigValues.Int(config, ScheduleConfigKeys.WarmupRounds, Math.Max(1, (int)Math.Ceiling(config.NumServerRounds * 0.1)), min: 0, max: config.NumServerRounds),
                config.NumServerRounds, minLearningRate),
            "cosine-restarts" => new CosineRestartsSchedule(
                ConfigValues.Int(config, ScheduleConfigKeys.RestartPeriod, 5, min: 1, max: 100_000),
                ConfigValues.Int(config, ScheduleConfigKeys.RestartMultiplier, 2, min: 1, max: 100),
                minLearningRate),
            _ => new ConstantSchedule(),
        };
        IHyperparameterAdaptation adaptation = ConfigValues.Choice(config, ScheduleConfigKeys.Adaptation, "none", "none", "eval-trend", "mu-halving", "plateau") switch
        {
            "eval-trend" => new EvalTrendAdaptation(ParseEvalTrend(config, learningRate, mu)),
            "mu-halving" => new MuHalving(ConfigValues.Int(config, ScheduleConfigKeys.MuHalvingRounds, 10, min: 1, max: 100_000)),
            "plateau" => new PlateauAdaptation(new PlateauOptions(
                ConfigValues.Int(config, ScheduleConfigKeys.PlateauPatience, 2, min: 0, max: 100_000),
                ConfigValues.Double(config, ScheduleConfigKeys.PlateauThreshold, 1e-4, min: 0, max: 1, maxExclusive: true),
                ConfigValues.Double(config, ScheduleConfigKeys.PlateauFactor, 0.5, min: 0, max: 1, minExclusive: true, maxExclusive: true),
                minLearningRate)),
            _ => new NoAdaptation(),
        };
        return new TrainSchedule(schedule, adaptation, learningRate, mu, ParseSpikeGuard(config), ParseNodeBoost(config));
    }

    /// <summary>The hyperparameters of a round, from the server evaluation losses of the rounds before it (in order).</summary>
    public RoundHyperparameters ForRound(int round, IReadOnlyList<double> evaluationLossesBefore)
    {
        var adapted = adaptation.Adapt(round, baseLearningRate, baseProximalMu, evaluationLossesBefore);
        return new RoundHyperparameters(schedule.LearningRate(round, adapted.LearningRate), adapted.ProximalMu, adapted.LastFactor, adapted.Reason);
    }

    /// <summary>The round's learning rate over the run's <c>learning-rate</c>: how much the schedule and adaptation scale a step this round.</summary>
    public double LearningRateScale(RoundHyperparameters round) => round.LearningRate / baseLearningRate;

    /// <summary>The train config with the round's learning rate and μ (unchanged when nothing is scheduled).</summary>
    public IReadOnlyDictionary<string, string> Apply(IReadOnlyDictionary<string, string> trainConfig, RoundHyperparameters round)
    {
        if (!ChangesTrainConfig) return trainConfig;
        return new Dictionary<string, string>(trainConfig, StringComparer.Ordinal)
        {
            [ScheduleConfigKeys.LearningRate] = round.LearningRate.ToString("R", CultureInfo.InvariantCulture),
            [StrategyConfigKeys.ProximalMu] = round.ProximalMu.ToString("R", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>A node's train config with its stall boost applied (unchanged when the node is not boosted).</summary>
    public IReadOnlyDictionary<string, string> ApplyNodeBoost(IReadOnlyDictionary<string, string> trainConfig, RoundHyperparameters round, IReadOnlyList<double> nodeLossesOldestFirst)
    {
        if (nodeBoost is null) return trainConfig;
        var learningRate = nodeBoost.LearningRate(round.LearningRate, nodeLossesOldestFirst);
        if (learningRate == round.LearningRate) return trainConfig;
        return new Dictionary<string, string>(trainConfig, StringComparer.Ordinal)
        {
            [ScheduleConfigKeys.LearningRate] = learningRate.ToString("R", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The round's values as metrics, recorded with the round.</summary>
    public static IReadOnlyDictionary<string, double> Metrics(RoundHyperparameters round) => new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["round-learning-rate"] = round.LearningRate,
        ["round-proximal-mu"] = round.ProximalMu,
        ["round-adaptation-factor"] = round.AdaptationFactor,
    };

    /// <summary>The round's train metrics with its learning rate, μ and adaptation factor added (these win over node-reported keys of the same name).</summary>
    public static IReadOnlyDictionary<string, double> WithMetrics(IReadOnlyDictionary<string, double> trainMetrics, RoundHyperparameters round)
    {
        var merged = new Dictionary<string, double>(trainMetrics, StringComparer.Ordinal);
        foreach (var (key, value) in Metrics(round)) merged[key] = value;
        return merged;
    }

    public string Summary() => $"lr-schedule={schedule.Summary()}, adaptation={adaptation.Summary()}" +
        (spikeGuard is null ? "" : $", {spikeGuard.Summary()}") + (nodeBoost is null ? "" : $", {nodeBoost.Summary()}");

    private static LossSpikeGuard? ParseSpikeGuard(RunConfiguration config) =>
        config.Values.ContainsKey(ScheduleConfigKeys.LossSpikeThreshold)
            ? new LossSpikeGuard(ConfigValues.Double(config, ScheduleConfigKeys.LossSpikeThreshold, 0.5, min: 0, max: 1e6, minExclusive: true))
            : null;

    private static NodeStallBoost? ParseNodeBoost(RunConfiguration config)
    {
        if (!config.Values.ContainsKey(ScheduleConfigKeys.NodeLrBoost)) return null;
        return new NodeStallBoost(
            ConfigValues.Int(config, ScheduleConfigKeys.NodeStallRounds, 3, min: 2, max: 100_000),
            ConfigValues.Double(config, ScheduleConfigKeys.NodeStallThreshold, 0.01, min: 0, max: 1),
            ConfigValues.Double(config, ScheduleConfigKeys.NodeLrBoost, 1.5, min: 1, max: 100, minExclusive: true),
            ConfigValues.Double(config, ScheduleConfigKeys.AdaptLrMax, double.MaxValue, min: 0, max: 1e3));
    }

    private static EvalTrendOptions ParseEvalTrend(RunConfiguration config, double learningRate, double mu)
    {
        var options = new EvalTrendOptions(
            StallThreshold: ConfigValues.Double(config, ScheduleConfigKeys.StallThreshold, 0.01, min: 0, max: 1),
            DivergenceThreshold: ConfigValues.Double(config, ScheduleConfigKeys.DivergenceThreshold, 0.05, min: 0, max: 1e3),
            StallFactor: ConfigValues.Double(config, ScheduleConfigKeys.StallFactor, 0.8, min: 0, max: 1, minExclusive: true),
            DivergenceFactor: ConfigValues.Double(config, ScheduleConfigKeys.DivergenceFactor, 1.1, min: 0, max: 100, minExclusive: true),
            LearningRateMin: ConfigValues.Double(config, ScheduleConfigKeys.AdaptLrMin, Math.Min(1e-5, learningRate), min: 0, max: 1e3),
            LearningRateMax: ConfigValues.Double(config, ScheduleConfigKeys.AdaptLrMax, Math.Max(1e-3, learningRate), min: 0, max: 1e3),
            MuMin: ConfigValues.Double(config, ScheduleConfigKeys.AdaptMuMin, 0, min: 0, max: 1e6),
            MuMax: ConfigValues.Double(config, ScheduleConfigKeys.AdaptMuMax, Math.Max(1.0, mu), min: 0, max: 1e6));
        if (options.LearningRateMin > options.LearningRateMax)
            throw new RunConfigurationException(ScheduleConfigKeys.AdaptLrMin, ConfigValues.Format(options.LearningRateMin), $"at most adapt-lr-max ({ConfigValues.Format(options.LearningRateMax)})");
        if (options.MuMin > options.MuMax)
            throw new RunConfigurationException(ScheduleConfigKeys.AdaptMuMin, ConfigValues.Format(options.MuMin), $"at most adapt-mu-max ({ConfigValues.Format(options.MuMax)})");
        return options;
    }
}
