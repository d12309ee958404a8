namespace Zk0.Datasets.Stats;

/// <summary>Running min / max / mean / std per dimension (Welford), for vectors or image channels.</summary>
public sealed class StatsAccumulator(int dim)
{
    private readonly double[] _min = Enumerable.Repeat(double.PositiveInfinity, dim).ToArray();
    private readonly double[] _max = Enumerable.Repeat(double.NegativeInfinity, dim).ToArray();
    private readonly double[] _mean = new double[dim];
    private readonly double[] _m2 = new double[dim];
    private readonly long[] _n = new long[dim];
    private long _rows;

    public int Dim => dim;

    public void AddRow(ReadOnlySpan<float> values)
    {
        for (var i = 0; i < dim; i++) Add(i, values[i]);
        _rows++;
    }

    public void AddScalarRow(double value)
    {
        Add(0, value);
        _rows++;
    }

    /// <summary>Adds every <paramref name="stride"/>-th pixel of an RGB image, scaled to [0,1].</summary>
    public void AddImage(byte[] rgb, int stride = 7)
    {
        for (var p = 0; p + 2 < rgb.Length; p += 3 * stride)
            for (var c = 0; c < 3; c++) Add(c, rgb[p + c] / 255.0);
        _rows++;
    }

    private void Add(int i, double value)
    {
        if (value < _min[i]) _min[i] = value;
        if (value > _max[i]) _max[i] = value;
        var n = ++_n[i];
        var delta = value - _mean[i];
        _mean[i] += delta / n;
        _m2[i] += delta * (value - _mean[i]);
    }

    public FeatureStats ToStats() => new(
        (double[])_min.Clone(), (double[])_max.Clone(), (double[])_mean.Clone(),
        _m2.Select((m2, i) => _n[i] > 0 ? Math.Sqrt(m2 / _n[i]) : 0).ToArray(), _rows);
}
