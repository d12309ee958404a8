using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.FlowMatching;

/// <summary>LeRobot's <c>sample_noise</c> and <c>sample_time</c>: N(0, 1) noise and t ~ Beta(1.5, 1)·0.999 + 0.001.</summary>
public static class FlowMatchingNoise
{
    public static Tensor SampleNoise(long[] shape, Device device, Generator? generator = null) =>
        randn(shape, dtype: ScalarType.Float32, device: device, generator: generator);

    /// <summary>Beta(α, 1) has CDF x^α, so U^(1/α) with U ~ Uniform(0, 1) is an exact sample.</summary>
    public static Tensor SampleTime(long batch, Device device, Generator? generator = null, double alpha = 1.5)
    {
        using var scope = NewDisposeScope();
        var uniform = rand([batch], dtype: ScalarType.Float32, device: device, generator: generator);
        return (uniform.pow(1.0 / alpha) * 0.999 + 0.001).MoveToOuterDisposeScope();
    }
}
