using TorchSharp;
using Zk0.Policy.Abstractions;
using Zk0.Policy.SmolVla.Embeddings;
using Zk0.Policy.SmolVla.Expert;
using Zk0.Policy.SmolVla.Sampling;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla;

public sealed partial class VlaFlowMatching
{
    /// <summary>Embeds the prefix and runs the VLM alone over it once, every layer as self-attention, filling the cache.</summary>
    public PrefixContext Prefill(PolicyInputs inputs)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var prefix = EmbedPrefix(inputs);
        var mask = AttentionMasks.Make2D(prefix.PadMasks, prefix.Marks);
        var positions = AttentionMasks.Positions(prefix.PadMasks);
        var cache = new PrefixKvCache();
        var (prefixOut, _) = VlmWithExpert.Forward(prefix.Embeddings, null, mask, positions, cache, fillCache: true);
        return new PrefixContext(prefix.PadMasks.alias().MoveToOuterDisposeScope(), cache, prefixOut!.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// <c>denoise_step</c>: the expert alone against the cached prefix; suffix rows see every valid prefix token and
    /// the action tokens causally; positions continue after the valid prefix tokens. Returns the velocity [B, chunk, max_action_dim].
    /// </summary>
    public Tensor DenoiseStep(PrefixContext context, Tensor x, Tensor time)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var suffix = EmbedSuffix(x, time);
        var (mask, positions) = SuffixAttention(context.PadMasks, suffix);
        var (_, suffixOut) = VlmWithExpert.Forward(null, suffix.Embeddings, mask, positions, context.Cache);
        return Velocity(suffixOut!).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The mask [B, S, P+S] (every valid prefix token, then the actions causally) and positions [B, S]
    /// (number of valid prefix tokens + 0..S−1) of a denoise step.
    /// </summary>
    public static (Tensor Mask, Tensor Positions) SuffixAttention(Tensor prefixPadMasks, Suffix suffix)
    {
        using var scope = NewDisposeScope();
        var (batch, suffixLength) = (suffix.PadMasks.shape[0], suffix.PadMasks.shape[1]);
        var prefixLength = prefixPadMasks.shape[1];
        var prefixRows = prefixPadMasks.unsqueeze(1).expand(batch, suffixLength, prefixLength);
        var suffixMask = AttentionMasks.Make2D(suffix.PadMasks, suffix.Marks);
        var mask = cat([prefixRows, suffixMask], 2);
        var offsets = prefixPadMasks.to(ScalarType.Int64).sum(-1, keepdim: true);
        var positions = offsets.add(suffix.PadMasks.to(ScalarType.Int64).cumsum(1), KeptScalars.IntOne) - KeptScalars.IntOne;
        return (mask.MoveToOuterDisposeScope(), positions.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// <c>sample_actions</c>: prefill once, then <c>num_steps</c> Euler steps from t = 1 (the noise) towards 0 with
    /// dt = −1/num_steps in float32 and t_k = float32(1 + k·dt) computed in double. Returns x [B, chunk, max_action_dim].
    /// </summary>
    public Tensor SampleActions(PolicyInputs inputs, Tensor noise, Action<EulerStep>? onStep = null)
    {
        using var context = Prefill(inputs);
        var steps = Architecture.Policy.NumSteps;
        var dtDouble = -1.0 / steps;
        using var dt = ((float)dtDouble).ToScalar();
        var x = noise.alias();
        for (var k = 0; k < steps; k++)
        {
            using var scope = NewDisposeScope();
            var t = (float)(1.0 + k * dtDouble);
            using var tScalar = t.ToScalar();
            var time = full([x.shape[0]], tScalar, dtype: ScalarType.Float32, device: x.device);
            var velocity = DenoiseStep(context, x, time);
            onStep?.Invoke(new EulerStep(k, t, x, velocity));
            var next = x.add(velocity * dt, KeptScalars.IntOne).DetachFromDisposeScope();
            x.Dispose();
            x = next;
        }
        return x;
    }
}
