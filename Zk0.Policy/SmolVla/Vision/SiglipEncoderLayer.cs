using TorchSharp;
using Zk0.Policy.SmolVla.Configuration;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Vision;

/// <summary>Pre-LayerNorm SigLIP encoder layer: x += out(MHA(ln1(x))); x += fc2(gelu_tanh(fc1(ln2(x)))).</summary>
public sealed class SiglipEncoderLayer : NamedModule
{
    private readonly nn.Module<Tensor, Tensor> _norm1;
    private readonly nn.Module<Tensor, Tensor> _norm2;
    private readonly SiglipAttention _attention;
    private readonly SiglipMlp _mlp;

    public SiglipEncoderLayer(SmolVlmVisionConfig c, TensorPlacement at) : base(nameof(SiglipEncoderLayer))
    {
        _attention = Child("self_attn", new SiglipAttention(c, at));
        _norm1 = Child("layer_norm1", nn.LayerNorm(c.HiddenSize, c.LayerNormEps, device: at.Device, dtype: at.DType));
        _mlp = Child("mlp", new SiglipMlp(c, at));
        _norm2 = Child("layer_norm2", nn.LayerNorm(c.HiddenSize, c.LayerNormEps, device: at.Device, dtype: at.DType));
    }

    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x + _attention.Forward(_norm1.call(x));
        h = h + _mlp.Forward(_norm2.call(h));
        return h.MoveToOuterDisposeScope();
    }
}

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

public sealed class SiglipMlp : NamedModule
{
    private readonly nn.Module<Tensor, Tensor> _fc1;
    private readonly nn.Module<Tensor, Tensor> _fc2;
    private readonly string _activation;

    public SiglipMlp(SmolVlmVisionConfig c, TensorPlacement at) : base(nameof(SiglipMlp))
    {
        _activation = c.HiddenAct;
        _fc1 = Child("fc1", Linear(c.HiddenSize, c.IntermediateSize, true, at));
        _fc2 = Child("fc2", Linear(c.IntermediateSize, c.HiddenSize, true, at));
    }

    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = _fc1.call(x);
        h = _activation switch
        {
            "gelu_pytorch_tanh" or "gelu_new" or "gelu_fast" => nn.functional.gelu(h, TorchSharp.Modules.GELU.Approximate.tanh),
            "gelu" => nn.functional.gelu(h),
            _ => throw new NotSupportedException($"vision_config.hidden_act '{_activation}' is not supported; use gelu_pytorch_tanh or gelu."),
        };
        return _fc2.call(h).MoveToOuterDisposeScope();
    }
}
