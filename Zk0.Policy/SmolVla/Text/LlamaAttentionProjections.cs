using TorchSharp;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Text;

/// <summary>
/// The <c>self_attn</c> projections of a Llama layer. The attention itself is run by the joint transformer,
/// because the VLM and the expert attend together.
/// </summary>
public sealed class LlamaAttentionProjections : NamedModule
{
    public LlamaAttentionProjections(int hidden, int heads, int kvHeads, int headDim, int keyValueInput, bool bias, TensorPlacement at,
        TensorPlacement? keyValueAt = null)
        : base(nameof(LlamaAttentionProjections))
    {
        HeadDim = headDim;
        Query = Child("q_proj", Linear(hidden, heads * headDim, bias, at));
        Key = Child("k_proj", Linear(keyValueInput, kvHeads * headDim, bias, keyValueAt ?? at));
        Value = Child("v_proj", Linear(keyValueInput, kvHeads * headDim, bias, keyValueAt ?? at));
        Output = Child("o_proj", Linear(heads * headDim, hidden, bias, at));
    }

    public int HeadDim { get; }
    public nn.Module<Tensor, Tensor> Query { get; }
    public nn.Module<Tensor, Tensor> Key { get; }
    public nn.Module<Tensor, Tensor> Value { get; }
    public nn.Module<Tensor, Tensor> Output { get; }

    /// <summary>[B, L, in] → [B, L, heads, D] through <paramref name="projection"/>, input cast to its weight dtype.</summary>
    public Tensor Heads(nn.Module<Tensor, Tensor> projection, Tensor input)
    {
        using var projected = Project(projection, input);
        return projected.view(input.shape[0], input.shape[1], -1, HeadDim);
    }
}
