using TorchSharp;
using Zk0.Policy.Abstractions;
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
        var h = x.add(_attention.Forward(_norm1.call(x)), KeptScalars.IntOne);
        h = h.add(_mlp.Forward(_norm2.call(h)), KeptScalars.IntOne);
        return h.MoveToOuterDisposeScope();
    }
}
