using System.Runtime.InteropServices;

namespace Zk0.Policy.Abstractions;

/// <summary>
/// Runs deterministic tensor work again when libtorch reports an error. TorchSharp 0.107 hands the Scalars it creates
/// implicitly (the alpha of every <c>tensor + tensor</c>, every <c>tensor * 0.5</c>) to native code by raw handle, so the
/// GC finalizer can free one in the middle of the call; libtorch then fails with a c10 error such as "Expected false to
/// be true" from <c>Scalar::toFloat</c> (seen once in a 5-round federation). The work is seeded, so a second run gives
/// the result the first would have given; a genuine error fails again and is thrown.
/// </summary>
public static class TorchNativeRetry
{
    public const int Attempts = 2;

    public static T Run<T>(Func<T> work, Action<ExternalException>? onRetry = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return work();
            }
            catch (ExternalException error) when (attempt < Attempts)
            {
                onRetry?.Invoke(error);
            }
        }
    }
}
