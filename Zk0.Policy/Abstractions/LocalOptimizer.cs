using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Zk0.Policy.Abstractions;

/// <summary>
/// The optimizer a node's local round runs (<c>local-optimizer</c>). AdamW, the default, is what LeRobot trains with.
/// SGD is for runs whose server optimizer adapts the step (FedAdam, FedYogi, FedAdagrad): the nodes' updates then stay
/// proportional to their gradients, so the server's normalization sees the federation's mean gradient, not an average
/// of four separately normalized ones (docs/learning.md, "An adaptive step on the server").
/// </summary>
public enum LocalOptimizer
{
    AdamW,
    Sgd,
}

public static class LocalOptimizers
{
    /// <summary>The round's optimizer over <paramref name="parameters"/>, with its settings from <paramref name="options"/>.</summary>
    public static optim.Optimizer Create(LocalTrainingOptions options, IEnumerable<Parameter> parameters, double adamEpsilon) => options.Optimizer switch
    {
        LocalOptimizer.Sgd => new GcSafeSgd(parameters, options.LearningRate, options.WeightDecay),
        _ => new GcSafeAdamW(parameters, options.LearningRate, options.Beta1, options.Beta2, adamEpsilon, options.WeightDecay),
    };
}
