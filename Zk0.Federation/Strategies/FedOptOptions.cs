using Zk0.Federation.Runs;

namespace Zk0.Federation.Strategies;

/// <summary>The FedOpt family's run-config keys with Flower's names (eta → server-learning-rate) and each strategy's own defaults.</summary>
internal static class FedOptOptions
{
    public static double Eta(RunConfiguration config, double fallback) =>
        ConfigValues.Double(config, StrategyConfigKeys.ServerLearningRate, fallback, min: 0, max: 1e3, minExclusive: true);

    public static double Beta1(RunConfiguration config, double fallback) =>
        ConfigValues.Double(config, StrategyConfigKeys.Beta1, fallback, min: 0, max: 1, maxExclusive: true);

    public static double Beta2(RunConfiguration config, double fallback) =>
        ConfigValues.Double(config, StrategyConfigKeys.Beta2, fallback, min: 0, max: 1, maxExclusive: true);

    public static double Tau(RunConfiguration config, double fallback) =>
        ConfigValues.Double(config, StrategyConfigKeys.Tau, fallback, min: 0, max: 1e3, minExclusive: true);
}
