using System.Globalization;
using Zk0.Federation.Runs;

namespace Zk0.Federation.Strategies;

/// <summary>Federated averaging (McMahan et al., 2017): the new global tensors are the example-weighted mean of the nodes' tensors.</summary>
public sealed class FedAvg : IStrategy
{
    public string Name => "fedavg";

    public IReadOnlyList<TrainAssignment> ConfigureTrain(int round, RunConfiguration config, IReadOnlyList<AvailableNode> available)
    {
        var taskConfig = new Dictionary<string, string>(config.Values, StringComparer.Ordinal)
        {
            ["server-round"] = round.ToString(CultureInfo.InvariantCulture),
        };
        return NodeSampling.Sample(round, config, available).Select(n => new TrainAssignment(n.NodeId, taskConfig)).ToList();
    }

    public IUpdateAggregator BeginAggregateTrain(int round, RunConfiguration config, string globalModelPath, string? stateDirectory = null, double learningRateScale = 1) =>
        new WeightedAverageAggregator(globalModelPath, config.WireDType);

    /// <summary>One float32 running sum per aggregated parameter, whatever the number of updates.</summary>
    public AggregationMemory EstimateMemory(int updateCount, long parameterCount) => new(4 * parameterCount, 0);

    public IReadOnlyDictionary<string, string> ConfigureEvaluate(int round, RunConfiguration config) =>
        new Dictionary<string, string>(config.Values, StringComparer.Ordinal) { ["server-round"] = round.ToString(CultureInfo.InvariantCulture) };

    public IReadOnlyDictionary<string, double> AggregateTrainMetrics(int round, IReadOnlyList<TrainUpdate> updates) =>
        NodeSampling.WeightedAverage(updates);

    public string Summary() => "FedAvg (example-weighted mean of the nodes' tensors, aggregated as results arrive)";
}
