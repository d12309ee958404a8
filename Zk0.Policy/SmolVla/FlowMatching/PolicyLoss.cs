using TorchSharp;
using Zk0.Policy.Abstractions;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.FlowMatching;

/// <summary>
/// How <c>SmolVLAPolicy.forward</c> turns per-element losses into the training loss: keep the real action dims;
/// with <c>action_is_pad</c>, zero padded steps and divide by (#valid steps · action dim), at least 1.
/// </summary>
public static class PolicyLoss
{
    /// <param name="losses">[B, chunk, max_action_dim]</param>
    /// <param name="actionIsPad">[B, chunk] bool, or null</param>
    /// <returns>a scalar, or [B] with <paramref name="perSample"/></returns>
    public static Tensor Reduce(Tensor losses, int actionDim, Tensor? actionIsPad, bool perSample = false)
    {
        using var scope = NewDisposeScope();
        var real = losses.narrow(2, 0, actionDim);
        Tensor result;
        if (actionIsPad is null)
        {
            result = perSample ? real.mean([1L, 2L]) : real.mean();
        }
        else
        {
            var valid = actionIsPad.to(ScalarType.Bool).logical_not();
            var masked = real * valid.unsqueeze(-1).to(real.dtype);
            using var width = actionDim.ToScalar();
            if (perSample)
            {
                var count = (valid.to(real.dtype).sum(1) * width).clamp_min(KeptScalars.IntOne);
                result = masked.sum([1L, 2L]) / count;
            }
            else
            {
                var count = (valid.to(real.dtype).sum() * width).clamp_min(KeptScalars.IntOne);
                result = masked.sum() / count;
            }
        }
        return result.MoveToOuterDisposeScope();
    }
}
