using static TorchSharp.torch;

namespace Zk0.Tests.Policy.SmolVla;

/// <summary>The fixture README's pass criteria: max|port − ref| ≤ tol·max(1, max|ref|), or exact for integers and masks.</summary>
public static class TensorAssert
{
    public const double Forward = 2e-5;
    public const double Gradient = 1e-4;

    public static void Close(Tensor expected, Tensor actual, double tolerance, string name, bool absolute = false)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{name}: shape [{string.Join(",", actual.shape)}] differs from the reference [{string.Join(",", expected.shape)}]");
        using var scope = NewDisposeScope();
        var e = expected.to(ScalarType.Float64).cpu();
        var a = actual.detach().to(ScalarType.Float64).cpu();
        Assert.False(a.isnan().any().item<bool>(), $"{name}: the port produced NaN");
        var scale = absolute ? 1.0 : Math.Max(1.0, e.abs().max().item<double>());
        var error = (a - e).abs().max().item<double>();
        Assert.True(error <= tolerance * scale,
            $"{name}: max|port − ref| = {error:E3} exceeds {tolerance:E1} × {scale:G4}");
    }

    public static void Exact(Tensor expected, Tensor actual, string name)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{name}: shape [{string.Join(",", actual.shape)}] differs from the reference [{string.Join(",", expected.shape)}]");
        using var scope = NewDisposeScope();
        var e = expected.to(ScalarType.Int64).cpu();
        var a = actual.to(ScalarType.Int64).cpu();
        var mismatches = e.ne(a).sum().item<long>();
        Assert.True(mismatches == 0, $"{name}: {mismatches} entries differ from the reference");
    }
}
