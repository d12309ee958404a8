using TorchSharp;
using Zk0.Policy.Abstractions;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Text;

/// <summary>Llama RMSNorm: computed in float32, scaled by a learned weight (TorchSharp has none).</summary>
public sealed class RmsNorm : NamedModule
{
    private readonly TorchSharp.Modules.Parameter _weight;
    private readonly double _eps;

    public RmsNorm(long size, double eps, TensorPlacement at) : base(nameof(RmsNorm))
    {
        _eps = eps;
        _weight = new TorchSharp.Modules.Parameter(torch.ones(size, dtype: at.DType, device: at.Device));
        register_parameter("weight", _weight);
    }

    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x.to(ScalarType.Float32);
        using var eps = _eps.ToScalar();
        var variance = h.pow(KeptScalars.IntTwo).mean([-1L], keepdim: true);
        h = h * torch.rsqrt(variance.add(eps, KeptScalars.IntOne));
        return (_weight * h.to(x.dtype)).MoveToOuterDisposeScope();
    }
}
