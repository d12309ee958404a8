using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Zk0.Policy.Abstractions.Data;

/// <summary>
/// A uint8 CPU tensor over a managed array, without a copy: the array stays pinned until libtorch frees the storage (every
/// tensor and view of it gone), then <c>whenFreed</c> runs, e.g. to give the array back to the pool it came from.
/// </summary>
public static unsafe class PinnedArrayTensor
{
    private static readonly ConcurrentDictionary<nint, (GCHandle Pin, Action WhenFreed)> Adopted = new();

    /// <param name="whenFreed">runs once, on whichever thread drops the storage's last reference; it must not throw</param>
    public static Tensor Over(byte[] array, long[] shape, Action whenFreed)
    {
        ArgumentNullException.ThrowIfNull(array);
        ArgumentNullException.ThrowIfNull(whenFreed);
        if (shape.Aggregate(1L, (a, b) => a * b) != array.Length)
            throw new ArgumentException($"A tensor of [{string.Join(", ", shape)}] needs {shape.Aggregate(1L, (a, b) => a * b)} bytes; the array has {array.Length}.", nameof(shape));
        if (array.Length == 0) throw new ArgumentException("An empty array has no memory to share; make an empty tensor instead.", nameof(array));
        var pin = GCHandle.Alloc(array, GCHandleType.Pinned);
        var data = pin.AddrOfPinnedObject();
        if (!Adopted.TryAdd(data, (pin, whenFreed)))
        {
            pin.Free();
            throw new InvalidOperationException("This array already backs a live tensor; an array can back one storage at a time.");
        }
        try
        {
            return TorchBlob.Wrap(data, shape, ScalarType.Byte, &Freed);
        }
        catch
        {
            Adopted.TryRemove(data, out _);
            pin.Free();
            throw;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Freed(void* data)
    {
        if (!Adopted.TryRemove((nint)data, out var adopted)) return;
        adopted.Pin.Free();
        adopted.WhenFreed();
    }
}
