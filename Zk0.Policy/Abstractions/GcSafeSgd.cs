using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Zk0.Policy.Abstractions;

/// <summary>
/// Plain SGD, <c>w ← w·(1 − lr·wd) − lr·g</c> (weight decay decoupled, as the nodes' AdamW has it), with every
/// <see cref="Scalar"/> held until libtorch returns (see <see cref="GcSafeAdamW"/> for why).
/// </summary>
public sealed class GcSafeSgd : SGD
{
    private readonly double _weightDecay;

    public GcSafeSgd(IEnumerable<Parameter> parameters, double lr, double weightDecay)
        : base(parameters, lr)
    {
        _weightDecay = weightDecay;
    }

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var lr = group.Options.LearningRate!.Value;
        using var decay = (1 - lr * _weightDecay).ToScalar();
        using var stepSize = (-lr).ToScalar();
        foreach (var param in group.Parameters)
        {
            if (param.grad is not { } grad) continue;
            param.mul_(decay);
            param.add_(grad, alpha: stepSize);
        }
    }, closure);
}
