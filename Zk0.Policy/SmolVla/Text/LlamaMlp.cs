using TorchSharp;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Text;

/// <summary>Llama's gated MLP: down(silu(gate(x)) · up(x)).</summary>
public sealed class LlamaMlp : NamedModule
{
    private readonly nn.Module<Tensor, Tensor> _gate;
    private readonly nn.Module<Tensor, Tensor> _up;
    private readonly nn.Module<Tensor, Tensor> _down;

    public LlamaMlp(int hidden, int intermediate, bool bias, TensorPlacement at) : base(nameof(LlamaMlp))
    {
        _gate = Child("gate_proj", Linear(hidden, intermediate, bias, at));
        _up = Child("up_proj", Linear(hidden, intermediate, bias, at));
        _down = Child("down_proj", Linear(intermediate, hidden, bias, at));
    }

    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var gated = nn.functional.silu(_gate.call(x)) * _up.call(x);
        return _down.call(gated).MoveToOuterDisposeScope();
    }
}
