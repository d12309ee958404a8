using Zk0.Federation.Runs;
using Zk0.Federation.Strategies;
using Zk0.Policy.Abstractions;

namespace Zk0.Cli.Compare;

/// <summary>
/// The optimizer central training uses to stand for a federated run: the nodes' own, except where the nodes took plain
/// gradient steps for an adaptive server optimizer (FedAdam, FedYogi, FedAdagrad). That federation is Adam on the pooled
/// gradients, moving about η per round of <c>local-steps</c> steps, so central training is AdamW at
/// <c>server-learning-rate / local-steps</c> per step, scaled by the round's schedule as the server's η is.
/// </summary>
public sealed record CentralOptimizer(LocalOptimizer Optimizer, double LearningRateFactor, string Description)
{
    public static CentralOptimizer NodesAdamW { get; } = new(LocalOptimizer.AdamW, 1, "fresh AdamW per segment as on the nodes");

    public static CentralOptimizer Of(RunSettings settings, IReadOnlyDictionary<string, string> runConfig)
    {
        if (settings.LocalOptimizer == LocalOptimizer.AdamW) return NodesAdamW;
        var strategy = StrategyCatalog.Create(RunConfiguration.Parse(runConfig));
        if (strategy is not IAdaptiveServerStep adaptive)
            return new(LocalOptimizer.Sgd, 1, "SGD as on the nodes");
        var factor = adaptive.ServerLearningRate / (settings.LocalSteps * settings.LearningRate);
        return new(LocalOptimizer.AdamW, factor,
            $"fresh AdamW per segment at server-learning-rate / local-steps = {adaptive.ServerLearningRate / settings.LocalSteps:G3} " +
            $"(the nodes' SGD with {strategy.Name} on the server is Adam on the pooled gradients)");
    }
}
