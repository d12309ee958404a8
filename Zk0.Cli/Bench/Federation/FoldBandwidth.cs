using System.Diagnostics;
using System.Numerics.Tensors;

namespace Zk0.Cli.Bench.Federation;

/// <summary>
/// This machine's limit for a fold: one thread running <c>acc[i] += w·x[i]</c> over in-memory float32 arrays of the
/// model's size, as a plain loop and as <see cref="TensorPrimitives.MultiplyAdd(ReadOnlySpan{float}, float, ReadOnlySpan{float}, Span{float})"/>.
/// Bytes streamed per element: acc read + acc write + x read = 12.
/// </summary>
public sealed class FoldBandwidth
{
    public const int BytesPerElement = 12;

    private readonly float[] _acc;
    private readonly float[] _x;

    public FoldBandwidth(long elements)
    {
        _acc = new float[elements];
        _x = new float[elements];
        Array.Fill(_x, 0.001f);
        Array.Fill(_acc, 1f);
    }

    public long BytesPerPass => _acc.LongLength * BytesPerElement;

    /// <summary>Seconds for <paramref name="passes"/> passes of the plain loop.</summary>
    public double PlainLoop(int passes) => Time(() =>
    {
        for (var p = 0; p < passes; p++)
        {
            var w = p + 1f;
            for (var i = 0; i < _acc.Length; i++) _acc[i] += w * _x[i];
        }
    });

    /// <summary>Seconds for <paramref name="passes"/> passes of TensorPrimitives.MultiplyAdd.</summary>
    public double MultiplyAdd(int passes) => Time(() =>
    {
        for (var p = 0; p < passes; p++) TensorPrimitives.MultiplyAdd(_x, p + 1f, _acc, _acc);
    });

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }
}
