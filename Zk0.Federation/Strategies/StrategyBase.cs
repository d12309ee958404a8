using System.Globalization;
using Zk0.Federation.Runs;

namespace Zk0.Federation.Strategies;

/// <summary>
/// What every strategy here shares with FedAvg: seeded node sampling, the run config (plus the round) as the task
/// config, example-weighted train metrics. A strategy adds its aggregation and its own train-config keys.
/// </summary>
public abstract class StrategyBase : IStrategy
{
    public abstract string Name { get; }

    public IReadOnlyList<TrainAssignment> ConfigureTrain(int round, RunConfiguration config, IReadOnlyList<AvailableNode> available)
    {
        var taskConfig = new Dictionary<string, string>(config.Values, StringComparer.Ordinal)
        {
            ["server-round"] = round.ToString(CultureInfo.InvariantCulture),
        };
        AddTrainConfig(taskConfig);
        return NodeSampling.Sample(round, config, available).Select(n => new TrainAssignment(n.NodeId, taskConfig)).ToList();
    }

    public abstract IUpdateAggregator BeginAggregateTrain(int round, RunConfiguration config, string globalModelPath, string? stateDirectory = null, double learningRateScale = 1);

    public abstract AggregationMemory EstimateMemory(int updateCount, long parameterCount);

    public IReadOnlyDictionary<string, string> ConfigureEvaluate(int round, RunConfiguration config) =>
        new Dictionary<string, string>(config.Values, StringComparer.Ordinal) { ["server-round"] = round.ToString(CultureInfo.InvariantCulture) };

    public IReadOnlyDictionary<string, double> AggregateTrainMetrics(int round, IReadOnlyList<TrainUpdate> updates) =>
        NodeSampling.WeightedAverage(updates);

    public abstract string Summary();

    /// <summary>Keys this strategy sends to the nodes on top of the run config.</summary>
    protected virtual void AddTrainConfig(IDictionary<string, string> taskConfig)
    {
    }

    protected static string Format(double value) => ConfigValues.Format(value);
}
