using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Zk0.Policy.Abstractions;

/// <summary>
/// TorchSharp's AdamW with the same operations in the same order (so the same weights to the bit), except that every
/// <see cref="Scalar"/> it passes to libtorch stays reachable until the call returns.
/// </summary>
/// <remarks>
/// TorchSharp's own step passes temporary Scalars (<c>add_(grad, alpha: 1 - beta1)</c>): once the native handle is read
/// the managed Scalar is garbage, and a collection on another thread (the data loader allocates all the time) can run
/// its finalizer and free it while libtorch still reads it. Seen as "Expected false to be true" from
/// <c>c10::Scalar::toFloat</c> inside <c>AdamW.step</c> after about 9,000 steps of <c>zk0 compare</c>'s central training.
/// </remarks>
public sealed class GcSafeAdamW : AdamW
{
    public GcSafeAdamW(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weightDecay)
        : base(parameters, lr, beta1, beta2, eps, weightDecay)
    {
    }

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = (Options)group.Options;
        if (options.amsgrad == true || options.maximize == true)
            throw new NotSupportedException("GcSafeAdamW implements plain AdamW (no amsgrad, no maximize).");
        var beta1 = options.beta1!.Value;
        var beta2 = options.beta2!.Value;
        var lr = options.LearningRate!.Value;
        using var decay = (1 - lr * options.weight_decay!.Value).ToScalar();
        using var keepAverage = beta1.ToScalar();
        using var gradientShare = (1 - beta1).ToScalar();
        using var keepSquares = beta2.ToScalar();
        using var squareShare = (1 - beta2).ToScalar();
        using var eps = options.eps!.Value.ToScalar();
        foreach (var param in group.Parameters)
        {
            var grad = param.grad;
            if (grad is null) continue;
            var state = (State)_state[param.Handle];
            state.step += 1;
            param.mul_(decay);
            var biasCorrection1 = 1 - Math.Pow(beta1, state.step);
            var biasCorrection2 = 1 - Math.Pow(beta2, state.step);
            state.exp_avg.mul_(keepAverage).add_(grad, alpha: gradientShare);
            state.exp_avg_sq.mul_(keepSquares).addcmul_(grad, grad, value: squareShare);
            using var squareRootOfCorrection = Math.Sqrt(biasCorrection2).ToScalar();
            using var root = state.exp_avg_sq.sqrt();
            using var denominator = root.div(squareRootOfCorrection).add_(eps, KeptScalars.IntOne);
            using var stepSize = (-(lr / biasCorrection1)).ToScalar();
            param.addcdiv_(state.exp_avg, denominator, value: stepSize);
        }
    }, closure);
}
