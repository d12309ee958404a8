namespace Zk0.Datasets.Frames;

/// <summary>
/// Reuses large arrays of exact lengths (decoded RGB frames, image batches). Allocating each one afresh puts it on the
/// large object heap in new pages, and on a virtual machine every new page costs a fault: that was most of the CPU our
/// reader spent beyond ffmpeg's own. Ownership is explicit: an array belongs to its renter until returned, the pool never
/// hands out an array that is rented, and returning one twice, or one the pool did not rent, is an error. An array that is
/// never returned is simply collected. Thread-safe.
/// </summary>
public sealed class BufferPool<T>(long maxRetainedBytes = 256L << 20) where T : unmanaged
{
    private readonly Dictionary<int, Stack<T[]>> _free = [];
    // Weak, so an array its renter never returns is collected rather than kept alive by the pool's bookkeeping.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<T[], object?> _rented = [];
    private readonly Lock _gate = new();
    private long _retainedBytes;

    /// <summary>Arrays handed out and not yet returned.</summary>
    public int RentedCount { get { lock (_gate) return _rented.Count(); } }

    /// <summary>Returned arrays kept for reuse.</summary>
    public int RetainedCount { get { lock (_gate) return _free.Values.Sum(s => s.Count); } }

    /// <summary>An array of exactly <paramref name="length"/> elements with undefined contents, owned by the caller until <see cref="Return"/>.</summary>
    public T[] Rent(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        T[]? array = null;
        lock (_gate)
        {
            if (_free.TryGetValue(length, out var stack) && stack.Count > 0)
            {
                array = stack.Pop();
                _retainedBytes -= Bytes(array);
                _rented.Add(array, null);
                return array;
            }
        }
        array = GC.AllocateUninitializedArray<T>(length);
        lock (_gate) _rented.Add(array, null);
        return array;
    }

    /// <summary>Gives a rented array back; the caller must not use it afterwards.</summary>
    public void Return(T[] array)
    {
        ArgumentNullException.ThrowIfNull(array);
        lock (_gate)
        {
            if (!_rented.Remove(array))
                throw new InvalidOperationException($"This {typeof(T).Name}[{array.Length}] was not rented from this pool or was already returned; an array may be returned once, by its owner.");
            if (_retainedBytes + Bytes(array) > maxRetainedBytes) return;
            if (!_free.TryGetValue(array.Length, out var stack)) _free[array.Length] = stack = new Stack<T[]>();
            stack.Push(array);
            _retainedBytes += Bytes(array);
        }
    }

    private static long Bytes(T[] array) => (long)array.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
}
