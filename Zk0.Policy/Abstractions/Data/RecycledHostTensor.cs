using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Zk0.Policy.Abstractions.Data;

/// <summary>
/// CPU tensors for large per-batch camera data (the float images, camera bytes copied into a tensor) whose memory comes
/// back here when libtorch frees their storage, for the next tensor of the same size. Allocated by libtorch instead, a
/// 640×480 batch of 8 float images (29 MB) is at glibc's mmap threshold: every batch mapped fresh pages and faulted each
/// one in (on a virtual machine, a fault a page), which cost more than the conversion itself (<c>zk0 dataset bench</c>).
/// A block is reused only after every tensor and view of its storage is gone, since libtorch's deleter is what returns it.
/// </summary>
public static unsafe class RecycledHostTensor
{
    /// <summary>Below this, glibc's own free lists serve as well.</summary>
    public const long MinimumBytes = 1 << 20;

    /// <summary>Idle memory kept for reuse; a block returned beyond it is freed.</summary>
    public const long IdleLimitBytes = 512L << 20;

    private const nuint Alignment = 64;
    private static readonly ConcurrentDictionary<nuint, ConcurrentStack<nint>> IdleBySize = new();
    private static readonly ConcurrentDictionary<nint, nuint> SizeOfLent = new();
    private static long _idleBytes;

    /// <summary>An uninitialized contiguous CPU tensor of <paramref name="shape"/>, on recycled memory when it is large.</summary>
    public static Tensor Empty(long[] shape, ScalarType dtype)
    {
        var bytes = shape.Aggregate(1L, (a, b) => a * b) * ElementSize(dtype);
        if (bytes < MinimumBytes) return empty(shape, dtype);
        var size = (nuint)bytes;
        var block = Rent(size);
        try
        {
            return TorchBlob.Wrap(block, shape, dtype, &Return);
        }
        catch
        {
            Return(block);
            throw;
        }
    }

    private static nint Rent(nuint size)
    {
        nint block;
        if (IdleBySize.TryGetValue(size, out var idle) && idle.TryPop(out block))
        {
            Interlocked.Add(ref _idleBytes, -(long)size);
        }
        else
        {
            block = (nint)NativeMemory.AlignedAlloc(size, Alignment);
        }
        SizeOfLent[block] = size;
        return block;
    }

    /// <summary>libtorch's deleter: runs on whatever thread drops the storage's last reference, so it must not throw.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Return(void* data) => Return((nint)data);

    private static void Return(nint block)
    {
        if (!SizeOfLent.TryRemove(block, out var size)) return;
        if (Interlocked.Add(ref _idleBytes, (long)size) > IdleLimitBytes)
        {
            Interlocked.Add(ref _idleBytes, -(long)size);
            NativeMemory.AlignedFree((void*)block);
            return;
        }
        IdleBySize.GetOrAdd(size, _ => new ConcurrentStack<nint>()).Push(block);
    }

    private static long ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float64 or ScalarType.Int64 => 8,
        _ => throw new ArgumentException($"No recycled memory for {dtype} tensors.", nameof(dtype)),
    };
}
