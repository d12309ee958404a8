using Zk0.Federation.Runs;

namespace Zk0.Federation.Strategies;

/// <summary>
/// FedAvg with server momentum (Hsu et al., 2019), as Flower defines it: pseudo-gradient g = global − average,
/// momentum v = server-momentum·v + g (v = g in the first round), new global = global − server-learning-rate·v.
/// With momentum 0 and learning rate 1 it is FedAvg.
/// </summary>
public sealed class FedAvgM(double serverLearningRate, double serverMomentum) : StrategyBase
{
    public const double DefaultServerLearningRate = 1.0;
    public const double DefaultServerMomentum = 0.9;

    public static FedAvgM FromConfig(RunConfiguration config) => new(
        ConfigValues.Double(config, StrategyConfigKeys.ServerLearningRate, DefaultServerLearningRate, min: 0, max: 1e3, minExclusive: true),
        ConfigValues.Double(config, StrategyConfigKeys.ServerMomentum, DefaultServerMomentum, min: 0, max: 1, minExclusive: false));

    public override string Name => "fedavgm";

    public override IUpdateAggregator BeginAggregateTrain(int round, RunConfiguration config, string globalModelPath, string? stateDirectory = null, double learningRateScale = 1) =>
        new ServerOptimizerAggregator(round, globalModelPath, stateDirectory, Name, new Momentum(serverLearningRate, serverMomentum), config.WireDType);

    /// <summary>The running sum in memory; the previous momentum memory-mapped from its state file.</summary>
    public override AggregationMemory EstimateMemory(int updateCount, long parameterCount) =>
        new(4 * parameterCount + OptimizerChunkBytes(1), 4 * parameterCount);

    public override string Summary() =>
        $"FedAvgM (server-learning-rate={Format(serverLearningRate)}, server-momentum={Format(serverMomentum)}; momentum kept per run on disk)";

    internal static long OptimizerChunkBytes(int slots) => (3L + slots) * 4 * FloatTensors.ChunkLength;

    private sealed class Momentum(double learningRate, double momentum) : ServerOptimizer
    {
        public override IReadOnlyList<string> StateSlots { get; } = ["momentum"];

        public override void Step(OptimizerChunk chunk)
        {
            var velocity = chunk.State(0);
            var global = chunk.Global;
            var average = chunk.Average;
            var output = chunk.NewGlobal;
            for (var i = 0; i < chunk.Length; i++)
            {
                double pseudoGradient = global[i] - average[i];
                var v = chunk.HasPreviousState ? momentum * velocity[i] + pseudoGradient : pseudoGradient;
                velocity[i] = (float)v;
                output[i] = (float)(global[i] - learningRate * v);
            }
        }
    }
}
