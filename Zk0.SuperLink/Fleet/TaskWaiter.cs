namespace Zk0.SuperLink.Fleet;

/// <summary>One PullTask held by <see cref="TaskWaiters"/>: woken once, when a task its node may take is queued.</summary>
public sealed class TaskWaiter : IDisposable
{
    private readonly TaskWaiters _hub;
    private readonly TaskCompletionSource _woken = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal TaskWaiter(TaskWaiters hub, string nodeId, string role)
    {
        _hub = hub;
        NodeId = nodeId;
        Role = role;
    }

    public string NodeId { get; }
    public string Role { get; }

    internal void Wake() => _woken.TrySetResult();

    /// <summary>True when woken, false when <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken ct)
    {
        try
        {
            await _woken.Task.WaitAsync(timeout, clock, ct);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public void Dispose() => _hub.Remove(this);
}
