using Zk0.Policy.Abstractions;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Embeddings;

/// <summary>Block-causal masks and positions (LeRobot's <c>make_att_2d_masks</c> and <c>cumsum(pad) − 1</c>).</summary>
public static class AttentionMasks
{
    /// <summary>Query i sees key j iff cumsum(marks)[j] ≤ cumsum(marks)[i] and both are valid. Returns [B, L, L] bool.</summary>
    public static Tensor Make2D(Tensor padMasks, Tensor marks)
    {
        using var scope = NewDisposeScope();
        var cumulative = marks.to(ScalarType.Int64).cumsum(1);
        var blocks = cumulative.unsqueeze(1) <= cumulative.unsqueeze(2);
        var pad = padMasks.to(ScalarType.Bool);
        var valid = pad.unsqueeze(1).logical_and(pad.unsqueeze(2));
        return blocks.logical_and(valid).MoveToOuterDisposeScope();
    }

    /// <summary>cumsum(pad) − 1 as int64: padded tokens repeat the previous position.</summary>
    public static Tensor Positions(Tensor padMasks)
    {
        using var scope = NewDisposeScope();
        return (padMasks.to(ScalarType.Int64).cumsum(1) - KeptScalars.IntOne).MoveToOuterDisposeScope();
    }
}
