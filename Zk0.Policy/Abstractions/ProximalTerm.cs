using TorchSharp;
using static TorchSharp.torch;

namespace Zk0.Policy.Abstractions;

/// <summary>FedProx's proximal term <c>μ/2·Σ‖w − w_global‖²</c> over paired tensors.</summary>
public static class ProximalTerm
{
    public static Tensor Compute(IReadOnlyList<Tensor> weights, IReadOnlyList<Tensor> globalWeights, double mu)
    {
        if (weights.Count != globalWeights.Count)
            throw new ArgumentException($"Proximal term: {weights.Count} weights but {globalWeights.Count} global weights.");
        if (weights.Count == 0) return zeros(1).squeeze();

        Tensor? sum = null;
        for (var i = 0; i < weights.Count; i++)
        {
            var squared = (weights[i] - globalWeights[i]).pow(KeptScalars.IntTwo).sum();
            sum = sum is null ? squared : sum.add(squared, KeptScalars.IntOne);
        }
        using var halfMu = (mu / 2.0).ToScalar();
        return sum!.mul(halfMu);
    }

    /// <summary><c>‖w − w_global‖₂</c> over all tensors, as a plain number.</summary>
    public static double DistanceNorm(IReadOnlyList<Tensor> weights, IReadOnlyList<Tensor> globalWeights)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var squared = 0.0;
        for (var i = 0; i < weights.Count; i++)
            squared += (weights[i] - globalWeights[i]).to(ScalarType.Float64).pow(KeptScalars.IntTwo).sum().item<double>();
        return Math.Sqrt(squared);
    }
}
