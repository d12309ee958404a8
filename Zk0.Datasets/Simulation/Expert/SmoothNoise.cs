namespace Zk0.Datasets.Simulation;

/// <summary>
/// Per-joint Ornstein–Uhlenbeck noise: a slow, correlated wobble like a human teleoperator's hand
/// rather than white jitter, with the given stationary standard deviation.
/// </summary>
internal sealed class SmoothNoise(Random random, float[] standardDeviations, float correlation = 0.9f)
{
    private readonly float[] _value = new float[standardDeviations.Length];

    public float Next(int index)
    {
        var innovation = standardDeviations[index] * MathF.Sqrt(1f - correlation * correlation);
        _value[index] = correlation * _value[index] + innovation * Gaussian();
        return _value[index];
    }

    private float Gaussian()
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }
}
