using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Expert;

/// <summary>Per-layer keys (after RoPE) and values of the prefix, filled once per <c>sample_actions</c>.</summary>
public sealed class PrefixKvCache : IDisposable
{
    private readonly Dictionary<int, (Tensor Key, Tensor Value)> _layers = [];

    public int Count => _layers.Count;

    /// <summary>Stored as [B, P, KV, D].</summary>
    public (Tensor Key, Tensor Value) this[int layer] =>
        _layers.TryGetValue(layer, out var entry) ? entry
            : throw new InvalidOperationException($"The prefix KV cache has no entry for layer {layer}; run the prefix prefill first.");

    public void Store(int layer, Tensor key, Tensor value)
    {
        if (_layers.Remove(layer, out var old))
        {
            old.Key.Dispose();
            old.Value.Dispose();
        }
        _layers[layer] = (key.detach().DetachFromDisposeScope(), value.detach().DetachFromDisposeScope());
    }

    /// <summary>The entry in transformers' DynamicCache layout [B, KV, P, D] (what the fixtures record).</summary>
    public (Tensor Key, Tensor Value) InCacheLayout(int layer)
    {
        var (k, v) = this[layer];
        return (k.permute(0, 2, 1, 3), v.permute(0, 2, 1, 3));
    }

    public void Dispose()
    {
        foreach (var (k, v) in _layers.Values)
        {
            k.Dispose();
            v.Dispose();
        }
        _layers.Clear();
    }
}
