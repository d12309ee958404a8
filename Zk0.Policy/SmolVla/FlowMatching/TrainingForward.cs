using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.FlowMatching;

/// <summary>Everything the flow-matching training forward computes, for the loss and for inspection.</summary>
public sealed record TrainingForward(
    Tensor NoisyActions,
    Tensor TargetVelocity,
    Tensor PrefixEmbeddings,
    Tensor SuffixEmbeddings,
    Tensor AttentionMask,
    Tensor PositionIds,
    Tensor PrefixOut,
    Tensor SuffixOut,
    Tensor Velocity,
    Tensor Losses) : IDisposable
{
    public void Dispose()
    {
        foreach (var t in new[] { NoisyActions, TargetVelocity, PrefixEmbeddings, SuffixEmbeddings, AttentionMask, PositionIds, PrefixOut, SuffixOut, Velocity, Losses })
            t.Dispose();
    }
}
