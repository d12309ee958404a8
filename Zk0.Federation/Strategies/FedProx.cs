using Zk0.Federation.Runs;

namespace Zk0.Federation.Strategies;

/// <summary>
/// FedProx (Li et al., 2020): FedAvg's aggregation, plus μ sent to every node, which adds μ/2·‖w − w_global‖² over its
/// trainable tensors to the local loss so heterogeneous nodes drift less from the global model.
/// </summary>
public sealed class FedProx(double proximalMu) : StrategyBase
{
    public const double DefaultProximalMu = 0.01;

    public static FedProx FromConfig(RunConfiguration config) =>
        new(ConfigValues.Double(config, StrategyConfigKeys.ProximalMu, DefaultProximalMu, min: 0, max: 1e6));

    public double ProximalMu => proximalMu;

    public override string Name => "fedprox";

    public override IUpdateAggregator BeginAggregateTrain(int round, RunConfiguration config, string globalModelPath, string? stateDirectory = null, double learningRateScale = 1) =>
        new WeightedAverageAggregator(globalModelPath, config.WireDType);

    public override AggregationMemory EstimateMemory(int updateCount, long parameterCount) => new(4 * parameterCount, 0);

    protected override void AddTrainConfig(IDictionary<string, string> taskConfig) =>
        taskConfig[StrategyConfigKeys.ProximalMu] = Format(proximalMu);

    public override string Summary() => $"FedProx (proximal-mu={Format(proximalMu)}; example-weighted mean aggregated as results arrive)";
}
