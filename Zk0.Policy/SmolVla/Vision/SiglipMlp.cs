using TorchSharp;
using Zk0.Policy.SmolVla.Configuration;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Vision;

/// <summary>fc2(gelu_tanh(fc1(x))).</summary>
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
