using Zk0.Federation.Runs;

namespace Zk0.Federation.Strategies;

/// <summary>
/// A federated strategy, Flower's five-method contract in spirit: choose nodes and their config for training,
/// aggregate their updates (here as they arrive), configure the server evaluation, aggregate evaluation metrics,
/// and describe itself.
/// </summary>
public interface IStrategy
{
    string Name { get; }

    /// <summary>Which of the available trainer nodes train this round, each with its task config.</summary>
    IReadOnlyList<TrainAssignment> ConfigureTrain(int round, RunConfiguration config, IReadOnlyList<AvailableNode> available);

    /// <summary>
    /// Starts aggregating the round's updates on top of the global model at <paramref name="globalModelPath"/>.
    /// Strategies with server state (momentum, Adam moments) keep it as files in <paramref name="stateDirectory"/>,
    /// the run's own folder next to its blobs, so it survives a SuperLink restart. <paramref name="learningRateScale"/> is
    /// the round's scheduled learning rate over the run's <c>learning-rate</c> (1 without a schedule): the adaptive server
    /// optimizers (FedAdam, FedYogi, FedAdagrad) scale their η by it, because their normalized step would not follow the
    /// nodes' decay otherwise.
    /// </summary>
    IUpdateAggregator BeginAggregateTrain(int round, RunConfiguration config, string globalModelPath, string? stateDirectory = null, double learningRateScale = 1);

    /// <summary>The memory aggregating <paramref name="updateCount"/> updates of a model with <paramref name="parameterCount"/> float parameters needs.</summary>
    AggregationMemory EstimateMemory(int updateCount, long parameterCount);

    /// <summary>The config the Evaluator gets with the round's evaluate task.</summary>
    IReadOnlyDictionary<string, string> ConfigureEvaluate(int round, RunConfiguration config);

    /// <summary>Combines the nodes' train metrics into the round's metrics.</summary>
    IReadOnlyDictionary<string, double> AggregateTrainMetrics(int round, IReadOnlyList<TrainUpdate> updates);

    /// <summary>A one-line description with the strategy's parameters, for logs and run outputs.</summary>
    string Summary();
}

public sealed record AvailableNode(string NodeId, string DatasetId, long NumExamples);

public sealed record TrainAssignment(string NodeId, IReadOnlyDictionary<string, string> Config);

/// <summary>One node's update: a safetensors file on disk (mapped while folded in, or read chunk by chunk) and its weight.</summary>
public sealed record TrainUpdate(string NodeId, string UpdatePath, long NumExamples, IReadOnlyDictionary<string, double> Metrics);

/// <summary>Folds updates in one at a time; memory does not grow with the number of updates.</summary>
public interface IUpdateAggregator : IDisposable
{
    int UpdatesAggregated { get; }

    /// <summary>Adds one update, or throws <see cref="UpdateRejectedException"/> (leaving the aggregate untouched).</summary>
    void Add(TrainUpdate update);

    /// <summary>Writes the new global model: the base model with every aggregated tensor replaced.</summary>
    void WriteGlobalModel(Stream output);
}

/// <summary>An update cannot be aggregated (wrong tensors, shapes or weight); the message says which and why.</summary>
public sealed class UpdateRejectedException(string message) : Exception(message);
