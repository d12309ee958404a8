using TorchSharp;

namespace Zk0.Policy.Abstractions;

/// <summary>
/// Numbers the training, sampling and input paths pass to libtorch on every step, as Scalars that live as long as the process.
/// TorchSharp turns a plain number into a temporary Scalar whose finalizer frees it, and a collection on another thread
/// can run that finalizer while libtorch still reads it (see <see cref="GcSafeAdamW"/>); each of these has the type the
/// implicit conversion would give (int, float or double), so results stay the same to the bit.
/// </summary>
/// <remarks>
/// TorchSharp also makes such a Scalar for a parameter it fills in itself: <c>a + b</c> and <c>add(x)</c> are
/// <c>add(x, alpha: 1)</c>, <c>1 - t</c> is <c>t.negative().add(1, alpha: 1)</c>, <c>square()</c> is <c>pow(2)</c> and
/// <c>arange(n)</c> is <c>arange(0, n, 1)</c>; callers spell those out with the Scalars here.
/// </remarks>
internal static class KeptScalars
{
    public static readonly Scalar IntZero = 0.ToScalar();
    public static readonly Scalar IntOne = 1.ToScalar();
    public static readonly Scalar IntMinusOne = (-1).ToScalar();
    public static readonly Scalar IntTwo = 2.ToScalar();
    public static readonly Scalar DoubleOne = 1.0.ToScalar();
    public static readonly Scalar DoubleTwo = 2.0.ToScalar();
    public static readonly Scalar DoubleMinusOne = (-1.0).ToScalar();
    public static readonly Scalar DoublePoint001 = 0.001.ToScalar();
    public static readonly Scalar DoublePoint999 = 0.999.ToScalar();
    public static readonly Scalar DoublePi = Math.PI.ToScalar();
    public static readonly Scalar FloatByteMax = 255f.ToScalar();
    public static readonly Scalar FloatMinValue = float.MinValue.ToScalar();
}
