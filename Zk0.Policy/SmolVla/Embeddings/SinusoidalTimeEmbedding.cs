using TorchSharp;
using Zk0.Policy.Abstractions;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Embeddings;

/// <summary>LeRobot's <c>create_sinusoidal_pos_embedding</c>, computed in float64: [sin(t·2π/period), cos(…)].</summary>
public static class SinusoidalTimeEmbedding
{
    /// <param name="time">[B]</param>
    /// <returns>[B, dimension] in float64</returns>
    public static Tensor Create(Tensor time, int dimension, double minPeriod, double maxPeriod)
    {
        if (dimension % 2 != 0)
            throw new ArgumentException($"The time embedding dimension ({dimension}) must be even.", nameof(dimension));
        using var scope = NewDisposeScope();
        var fraction = linspace(0.0, 1.0, dimension / 2, dtype: ScalarType.Float64, device: time.device);
        using var periodRatio = (maxPeriod / minPeriod).ToScalar();
        using var shortestPeriod = minPeriod.ToScalar();
        var period = full_like(fraction, periodRatio).pow(fraction) * shortestPeriod;
        var scaling = period.reciprocal() * KeptScalars.DoubleOne * KeptScalars.IntTwo * KeptScalars.DoublePi;
        var angle = scaling.unsqueeze(0) * time.unsqueeze(1).to(ScalarType.Float64);
        return cat([angle.sin(), angle.cos()], 1).MoveToOuterDisposeScope();
    }
}
