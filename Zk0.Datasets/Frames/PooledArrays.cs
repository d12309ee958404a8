namespace Zk0.Datasets.Frames;

/// <summary>Arrays rented from one pool and given back together, once, however many times <see cref="Release"/> is called.</summary>
internal sealed class PooledArrays<T>(BufferPool<T> pool, IReadOnlyList<T[]> arrays) where T : unmanaged
{
    private int _released;

    public void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        foreach (var array in arrays) pool.Return(array);
    }
}
