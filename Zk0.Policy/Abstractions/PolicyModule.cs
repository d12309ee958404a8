using static TorchSharp.torch;

namespace Zk0.Policy.Abstractions;

/// <summary>
/// A TorchSharp network that can be trained federatedly through <see cref="ModulePolicy"/>: it only has to
/// say which of its parameters are trainable (those with <c>requires_grad</c>) and compute a scalar loss.
/// </summary>
public abstract class PolicyModule(string name) : nn.Module(name)
{
    /// <summary>
    /// Mean loss of the batch as a scalar tensor. Any randomness (noise, time, dropout) must be drawn from
    /// <paramref name="generator"/>, a CPU generator (draw on the CPU, then move), so training and evaluation are reproducible.
    /// </summary>
    public abstract Tensor ComputeLoss(PolicyBatch batch, Generator generator);

    /// <summary>The predicted action chunk [B, ChunkSize, ActionDim]; random draws come from <paramref name="generator"/> (a CPU generator).</summary>
    public abstract Tensor PredictActionChunk(PolicyObservation observation, Generator generator);
}
