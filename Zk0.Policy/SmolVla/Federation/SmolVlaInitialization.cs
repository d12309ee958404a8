using Zk0.Policy.Abstractions;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Federation;

/// <summary>
/// Seeded weights for a SmolVLA built from scratch: matrices and embeddings uniform in ±1/√fan_in, biases zero, norm
/// scales one — all drawn from a private generator, so equal seeds give byte-equal models.
/// </summary>
public static class SmolVlaInitialization
{
    public static void Apply(SmolVlaPolicy policy, long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var _ = no_grad();
        foreach (var (name, parameter) in policy.named_parameters())
        {
            if (parameter.dim() >= 2)
            {
                var fanIn = parameter.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
                var bound = 1.0 / Math.Sqrt(fanIn);
                parameter.uniform_(-bound, bound, generator);
            }
            else if (name.EndsWith(".bias", StringComparison.Ordinal))
            {
                parameter.zero_();
            }
            else
            {
                parameter.fill_(KeptScalars.DoubleOne);
            }
        }
    }
}
