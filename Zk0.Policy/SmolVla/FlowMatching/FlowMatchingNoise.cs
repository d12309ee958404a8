using TorchSharp;
using Zk0.Policy.Abstractions;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.FlowMatching;

/// <summary>LeRobot's <c>sample_noise</c> and <c>sample_time</c>: N(0, 1) noise and t ~ Beta(1.5, 1)·0.999 + 0.001.</summary>
/// <remarks>
/// A seeded draw uses the generator on the CPU and then moves the values to <c>device</c>: a CPU generator cannot
/// drive a CUDA kernel, and drawing on the CPU gives the same noise on every device for the same seed.
/// </remarks>
public static class FlowMatchingNoise
{
    public static Tensor SampleNoise(long[] shape, Device device, Generator? generator = null) =>
        OnDevice(randn(shape, dtype: ScalarType.Float32, device: DrawDevice(device, generator), generator: generator), device);

    /// <summary>Beta(α, 1) has CDF x^α, so U^(1/α) with U ~ Uniform(0, 1) is an exact sample.</summary>
    public static Tensor SampleTime(long batch, Device device, Generator? generator = null, double alpha = 1.5)
    {
        using var scope = NewDisposeScope();
        var uniform = OnDevice(rand([batch], dtype: ScalarType.Float32, device: DrawDevice(device, generator), generator: generator), device);
        using var exponent = (1.0 / alpha).ToScalar();
        return (uniform.pow(exponent) * KeptScalars.DoublePoint999).add(KeptScalars.DoublePoint001, KeptScalars.IntOne).MoveToOuterDisposeScope();
    }

    private static Device DrawDevice(Device device, Generator? generator) => generator is null ? device : CPU;

    private static Tensor OnDevice(Tensor drawn, Device device)
    {
        if (drawn.device_type == device.type && drawn.device_index == device.index) return drawn;
        using (drawn) return drawn.to(device);
    }
}
