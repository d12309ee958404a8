using static TorchSharp.torch;

namespace Zk0.Policy.Abstractions;

/// <summary>
/// Re-initializes every parameter from a private generator (PyTorch's default bound 1/√fan_in for weights
/// and biases of linear and conv layers), so equal seeds give equal weights without touching the global
/// random state other code may be using.
/// </summary>
public static class SeededInitialization
{
    public static void Apply(nn.Module module, long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var _ = no_grad();
        foreach (var (name, parameter) in module.named_parameters())
        {
            if (parameter.dim() < 1) continue;
            var fanIn = FanIn(module, name, parameter);
            var bound = 1.0 / Math.Sqrt(Math.Max(fanIn, 1));
            // Tensor.uniform_ honours the generator; nn.init.uniform_ in TorchSharp 0.107 ignores it.
            parameter.uniform_(-bound, bound, generator);
        }
    }

    private static long FanIn(nn.Module module, string name, Tensor parameter)
    {
        if (parameter.dim() >= 2) return parameter.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        // A bias shares the fan-in of its layer's weight.
        var weightName = name.EndsWith(".bias", StringComparison.Ordinal) ? name[..^5] + ".weight" : null;
        var weight = weightName is null ? null : module.named_parameters().FirstOrDefault(p => p.name == weightName).parameter;
        return weight is null || weight.dim() < 2 ? parameter.shape[0] : weight.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
    }
}
