using Zk0.Policy.SmolVla.Text;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Expert;

/// <summary>The two attention patterns of the joint transformer (LeRobot's <c>forward_attn_layer</c> / <c>forward_cross_attn_layer</c>).</summary>
internal static class JointAttention
{
    /// <summary>
    /// Each present stream projects its own Q/K/V; one attention over [prefix; suffix] with joint positions.
    /// Prefill stores K/V; a suffix-only call appends its K/V to the cached prefix.
    /// </summary>
    public static (Tensor? Vlm, Tensor? Expert) SelfAttention(int layer, LlamaDecoderLayer vlmLayer, LlamaDecoderLayer? expertLayer,
        Tensor? prefix, Tensor? suffix, Tensor mask, Tensor positions, PrefixKvCache? cache, bool fillCache)
    {
        var queries = new List<Tensor>();
        var keys = new List<Tensor>();
        var values = new List<Tensor>();
        var prefixLength = 0L;
        foreach (var (hidden, decoder) in new[] { (prefix, (LlamaDecoderLayer?)vlmLayer), (suffix, expertLayer) })
        {
            if (hidden is null || decoder is null) continue;
            if (ReferenceEquals(hidden, prefix)) prefixLength = hidden.shape[1];
            var normed = decoder.InputNorm(hidden);
            var a = decoder.Attention;
            queries.Add(a.Heads(a.Query, normed));
            keys.Add(a.Heads(a.Key, normed));
            values.Add(a.Heads(a.Value, normed));
        }

        if (queries.Count == 0)
            return (null, null); // neither stream runs this layer: the expert passes through unchanged

        var q = cat(queries, 1);
        var k = cat(keys, 1);
        var v = cat(values, 1);
        var length = q.shape[1];
        if (length < positions.shape[1])
        {
            positions = positions.narrow(1, 0, length);
            mask = mask.narrow(1, 0, length).narrow(2, 0, length);
        }

        q = RotaryEmbedding.Apply(q, positions);
        k = RotaryEmbedding.Apply(k, positions);
        if (cache is not null)
        {
            if (fillCache)
            {
                cache.Store(layer, k, v);
            }
            else
            {
                var (cachedK, cachedV) = cache[layer];
                k = cat([cachedK, k], 1);
                v = cat([cachedV, v], 1);
            }
        }

        var attention = EagerAttention.Forward(mask, q, k, v);
        Tensor? vlmPart = prefix is null ? null : attention.narrow(1, 0, prefixLength);
        Tensor? expertPart = suffix is null || expertLayer is null ? null : attention.narrow(1, prefixLength, length - prefixLength);
        return (vlmPart, expertPart);
    }

    /// <summary>
    /// The VLM self-attends over the prefix; the expert queries attend to the VLM's (post-RoPE) keys and values of
    /// this layer, re-projected by its own k/v projections, with suffix-relative positions and no RoPE on those keys.
    /// </summary>
    public static (Tensor? Vlm, Tensor? Expert) CrossAttention(int layer, LlamaDecoderLayer vlmLayer, LlamaDecoderLayer? expertLayer,
        Tensor? prefix, Tensor? suffix, Tensor mask, Tensor positions, PrefixKvCache? cache)
    {
        Tensor? vlmPart = null;
        Tensor keys, values, expertPositions;
        if (prefix is not null && suffix is not null && cache is null)
        {
            var prefixLength = prefix.shape[1];
            var prefixPositions = positions.narrow(1, 0, prefixLength);
            expertPositions = positions.narrow(1, prefixLength, positions.shape[1] - prefixLength);
            var prefixMask = mask.narrow(1, 0, prefixLength).narrow(2, 0, prefixLength);
            var normed = vlmLayer.InputNorm(prefix);
            var a = vlmLayer.Attention;
            var q = RotaryEmbedding.Apply(a.Heads(a.Query, normed), prefixPositions);
            keys = RotaryEmbedding.Apply(a.Heads(a.Key, normed), prefixPositions);
            values = a.Heads(a.Value, normed);
            vlmPart = EagerAttention.Forward(prefixMask, q, keys, values);
        }
        else if (cache is not null && prefix is null && suffix is not null)
        {
            expertPositions = positions;
            (keys, values) = cache[layer];
        }
        else
        {
            throw new InvalidOperationException(
                "A cross-attention layer needs both streams (training) or the suffix with a filled prefix KV cache (sampling).");
        }

        if (expertLayer is null || suffix is null) return (vlmPart, null);

        var expert = expertLayer.Attention;
        var expertQuery = expert.Heads(expert.Query, expertLayer.InputNorm(suffix));
        var flatKeys = keys.reshape(keys.shape[0], keys.shape[1], -1);
        var flatValues = values.reshape(values.shape[0], values.shape[1], -1);
        var expertKeys = expert.Heads(expert.Key, flatKeys);
        var expertValues = expert.Heads(expert.Value, flatValues);
        var relative = expertPositions - expertPositions.min(1, keepdim: true).values;
        var suffixLength = suffix.shape[1];
        var expertMask = mask.narrow(1, mask.shape[1] - suffixLength, suffixLength).narrow(2, 0, expertKeys.shape[1]);
        expertQuery = RotaryEmbedding.Apply(expertQuery, relative);
        return (vlmPart, EagerAttention.Forward(expertMask, expertQuery, expertKeys, expertValues));
    }
}
