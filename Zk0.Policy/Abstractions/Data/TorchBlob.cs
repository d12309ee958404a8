using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Zk0.Policy.Abstractions.Data;

/// <summary>
/// A CPU tensor over memory that is not libtorch's (torch::from_blob, through TorchSharp's own native entry point): libtorch
/// calls <c>deleter</c> with the data pointer when the storage's last tensor or view is gone, on whichever thread dropped it.
/// </summary>
internal static unsafe class TorchBlob
{
    public static Tensor Wrap(nint data, long[] shape, ScalarType dtype, delegate* unmanaged[Cdecl]<void*, void> deleter)
    {
        nint handle;
        fixed (long* dimensions = shape)
            handle = THSTensor_new(data, deleter, dimensions, shape.Length, (sbyte)dtype, (sbyte)dtype, deviceType: 0, deviceIndex: -1, requiresGrad: 0);
        if (handle == 0)
            throw new InvalidOperationException($"libtorch could not make a {dtype} tensor of [{string.Join(", ", shape)}] over memory it does not own.");
        return Tensor.UnsafeCreateTensor(handle);
    }

    [DllImport("LibTorchSharp")]
    private static extern nint THSTensor_new(nint data, delegate* unmanaged[Cdecl]<void*, void> deleter, long* dimensions, int dimensionCount,
        sbyte elementType, sbyte dtype, int deviceType, int deviceIndex, byte requiresGrad);
}
