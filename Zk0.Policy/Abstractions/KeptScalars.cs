using TorchSharp;

namespace Zk0.Policy.Abstractions;

/// <summary>
/// Numbers the training and input paths pass to libtorch on every step, as Scalars that live as long as the process.
/// TorchSharp turns a plain number into a temporary Scalar whose finalizer frees it, and a collection on another thread
/// can run that finalizer while libtorch still reads it (see <see cref="GcSafeAdamW"/>); each of these has the type the
/// implicit conversion would give (int, float or double), so results stay the same to the bit.
/// </summary>
internal static class KeptScalars
{
    public static readonly Scalar IntOne = 1.ToScalar();
    public static readonly Scalar IntTwo = 2.ToScalar();
    public static readonly Scalar DoubleOne = 1.0.ToScalar();
    public static readonly Scalar FloatByteMax = 255f.ToScalar();
}
