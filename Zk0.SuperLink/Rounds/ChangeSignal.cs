namespace Zk0.SuperLink.Rounds;

/// <summary>Wakes a waiting driver when Redis pub/sub says something changed; a timeout covers lost messages.</summary>
internal sealed class ChangeSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Set()
    {
        try { _semaphore.Release(); }
        catch (SemaphoreFullException) { }
        catch (ObjectDisposedException) { }
    }

    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (timeout > TimeSpan.Zero) await _semaphore.WaitAsync(timeout, ct);
    }

    public void Dispose() => _semaphore.Dispose();
}
