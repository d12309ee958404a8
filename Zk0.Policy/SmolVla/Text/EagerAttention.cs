using TorchSharp;
using Zk0.Policy.Abstractions;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Text;

/// <summary>
/// LeRobot's <c>eager_attention_forward</c>: grouped-query attention with scores and softmax in float32 and
/// masked scores replaced (not added) by float32's lowest value, so fully masked rows attend uniformly.
/// </summary>
public static class EagerAttention
{
    /// <param name="mask">[B, Lq, Lk] bool, true = may attend</param>
    /// <param name="query">[B, Lq, H, D]</param>
    /// <param name="key">[B, Lk, KV, D]</param>
    /// <param name="value">[B, Lk, KV, D]</param>
    /// <returns>[B, Lq, H·D], head-major features</returns>
    public static Tensor Forward(Tensor mask, Tensor query, Tensor key, Tensor value)
    {
        using var scope = NewDisposeScope();
        var (batch, keyLength, kvHeads, headDim) = (key.shape[0], key.shape[1], key.shape[2], key.shape[3]);
        var heads = query.shape[2];
        var groups = heads / kvHeads;
        key = key.unsqueeze(3).expand(batch, keyLength, kvHeads, groups, headDim).reshape(batch, keyLength, heads, headDim);
        value = value.unsqueeze(3).expand(batch, keyLength, kvHeads, groups, headDim).reshape(batch, keyLength, heads, headDim);

        var q = query.to(ScalarType.Float32).transpose(1, 2);
        var k = key.to(ScalarType.Float32).transpose(1, 2);
        using var scale = Math.Pow(headDim, -0.5).ToScalar();
        var scores = q.matmul(k.transpose(2, 3)) * scale;
        scores = scores.masked_fill(mask.unsqueeze(1).logical_not(), KeptScalars.FloatMinValue);
        var probs = scores.softmax(-1).to(value.dtype);
        var output = probs.matmul(value.permute(0, 2, 1, 3)).permute(0, 2, 1, 3);
        return output.reshape(batch, -1, heads * headDim).MoveToOuterDisposeScope();
    }
}
