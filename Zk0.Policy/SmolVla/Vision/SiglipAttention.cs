using TorchSharp;
using Zk0.Policy.SmolVla.Configuration;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Vision;

/// <summary>Plain multi-head self-attention of the vision tower (scale 1/√D, no mask).</summary>
public sealed class SiglipAttention : NamedModule
{
    private readonly int _heads;
    private readonly nn.Module<Tensor, Tensor> _q;
    private readonly nn.Module<Tensor, Tensor> _k;
    private readonly nn.Module<Tensor, Tensor> _v;
    private readonly nn.Module<Tensor, Tensor> _out;

    public SiglipAttention(SmolVlmVisionConfig c, TensorPlacement at) : base(nameof(SiglipAttention))
    {
        _heads = c.NumAttentionHeads;
        _k = Child("k_proj", Linear(c.HiddenSize, c.HiddenSize, true, at));
        _v = Child("v_proj", Linear(c.HiddenSize, c.HiddenSize, true, at));
        _q = Child("q_proj", Linear(c.HiddenSize, c.HiddenSize, true, at));
        _out = Child("out_proj", Linear(c.HiddenSize, c.HiddenSize, true, at));
    }

    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (batch, length) = (x.shape[0], x.shape[1]);
        Tensor Heads(nn.Module<Tensor, Tensor> p) => p.call(x).view(batch, length, _heads, -1).transpose(1, 2);
        var attended = nn.functional.scaled_dot_product_attention(Heads(_q), Heads(_k), Heads(_v));
        var merged = attended.transpose(1, 2).reshape(batch, length, -1);
        return _out.call(merged).MoveToOuterDisposeScope();
    }
}
