namespace Zk0.Datasets.Frames;

/// <summary>
/// Arrays rented from one pool and given back together, once, however many times <see cref="Release"/> is called; an
/// array taken out with <see cref="Detach"/> is given back by whoever took it instead.
/// </summary>
internal sealed class PooledArrays<T>(BufferPool<T> pool, IReadOnlyList<T[]> arrays) where T : unmanaged
{
    private readonly List<T[]> _held = [.. arrays];
    private bool _released;

    /// <summary>Takes <paramref name="array"/> out of the set: the returned action gives it back to the pool, once.</summary>
    public Action Detach(T[] array)
    {
        lock (_held)
        {
            if (_released) throw new ObjectDisposedException("Batch", "The batch was disposed: its image arrays are back in the loader's pool.");
            if (!_held.Remove(array)) throw new InvalidOperationException("This image array is not one the batch still holds; each array can be taken once.");
        }
        var given = 0;
        return () =>
        {
            if (Interlocked.Exchange(ref given, 1) == 0) pool.Return(array);
        };
    }

    public void Release()
    {
        T[][] held;
        lock (_held)
        {
            if (_released) return;
            _released = true;
            held = [.. _held];
            _held.Clear();
        }
        foreach (var array in held) pool.Return(array);
    }
}
