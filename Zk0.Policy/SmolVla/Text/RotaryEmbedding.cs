using TorchSharp;
using Zk0.Policy.Abstractions;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Text;

/// <summary>
/// RoPE as LeRobot's <c>apply_rope</c> applies it: float32, fixed base 10000 (the VLM's rope_theta is unused),
/// half-split rotation, timescale = base^(2i/D) and angle = position / timescale.
/// </summary>
public static class RotaryEmbedding
{
    public const double MaxWavelength = 10_000;
    private static readonly Scalar MaxWavelengthScalar = MaxWavelength.ToScalar();

    /// <param name="x">[B, L, H, D]</param>
    /// <param name="positions">[B, L] integer positions</param>
    public static Tensor Apply(Tensor x, Tensor positions)
    {
        using var scope = NewDisposeScope();
        var dim = x.shape[^1];
        var half = dim / 2;
        var xf = x.to(ScalarType.Float32);
        // arange(half) with its 0 and step 1 spelled out as kept Scalars (see KeptScalars).
        using var halfScalar = half.ToScalar();
        using var exponentStep = (2.0 / dim).ToScalar();
        var exponents = arange(KeptScalars.IntZero, halfScalar, KeptScalars.IntOne, dtype: ScalarType.Float32, device: x.device) * exponentStep;
        var timescale = full_like(exponents, MaxWavelengthScalar).pow(exponents);
        var radians = positions.unsqueeze(-1).to(ScalarType.Float32) / timescale.unsqueeze(0).unsqueeze(0);
        radians = radians.unsqueeze(-2);
        var sin = radians.sin();
        var cos = radians.cos();
        var x1 = xf.narrow(-1, 0, half);
        var x2 = xf.narrow(-1, half, half);
        var rotated = cat([x1 * cos - x2 * sin, (x2 * cos).add(x1 * sin, KeptScalars.IntOne)], -1);
        return rotated.to(x.dtype).MoveToOuterDisposeScope();
    }
}
