using Microsoft.Extensions.Options;
using Zk0.SuperLink.Hosting;
using Zk0.SuperLink.State;

namespace Zk0.SuperLink.Fleet;

/// <summary>
/// The long-polling PullTask calls this replica holds, woken when a task for their node or role is queued on any
/// replica. One subscription to the state's task notices serves every waiting node, however many there are.
/// </summary>
public sealed class TaskWaiters(ILinkState state, IOptions<SuperLinkOptions> options, ILogger<TaskWaiters> logger) : BackgroundService
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HashSet<TaskWaiter>> _byNode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<TaskWaiter>> _byRole = new(StringComparer.Ordinal);

    /// <summary>How many pulls wait now.</summary>
    public int Count
    {
        get { lock (_lock) return _byNode.Values.Sum(w => w.Count); }
    }

    /// <summary>
    /// Starts waiting for a task for <paramref name="nodeId"/> (its own or its role's). Register before looking at the
    /// queues: a task queued after the look then still wakes the waiter.
    /// </summary>
    public TaskWaiter Register(string nodeId, string role)
    {
        var waiter = new TaskWaiter(this, nodeId, role);
        lock (_lock)
        {
            Add(_byNode, nodeId, waiter);
            Add(_byRole, role, waiter);
        }
        return waiter;
    }

    internal void Remove(TaskWaiter waiter)
    {
        lock (_lock)
        {
            Remove(_byNode, waiter.NodeId, waiter);
            Remove(_byRole, waiter.Role, waiter);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IAsyncDisposable? subscription = null;
        while (subscription is null)
        {
            try
            {
                subscription = await state.SubscribeTaskQueuesAsync(Wake, WakeAll, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Subscribing to task notices failed; long-polling pulls wait out their time until it works. Retrying");
                try { await Task.Delay(options.Value.PollInterval, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
        // Pulls that began waiting before the subscription missed what was queued meanwhile.
        WakeAll();
        await using (subscription)
        {
            try { await Task.Delay(Timeout.Infinite, stoppingToken); }
            catch (OperationCanceledException) { }
        }
    }

    private void Wake(TaskQueueOwner owner)
    {
        TaskWaiter[] woken;
        lock (_lock)
        {
            var waiting = owner.NodeId.Length > 0 ? _byNode.GetValueOrDefault(owner.NodeId) : _byRole.GetValueOrDefault(owner.Role);
            woken = waiting?.ToArray() ?? [];
        }
        foreach (var waiter in woken) waiter.Wake();
    }

    private void WakeAll()
    {
        TaskWaiter[] woken;
        lock (_lock) woken = _byNode.Values.SelectMany(w => w).ToArray();
        foreach (var waiter in woken) waiter.Wake();
    }

    private static void Add(Dictionary<string, HashSet<TaskWaiter>> index, string key, TaskWaiter waiter)
    {
        if (!index.TryGetValue(key, out var waiters)) index[key] = waiters = [];
        waiters.Add(waiter);
    }

    private static void Remove(Dictionary<string, HashSet<TaskWaiter>> index, string key, TaskWaiter waiter)
    {
        if (index.TryGetValue(key, out var waiters) && waiters.Remove(waiter) && waiters.Count == 0) index.Remove(key);
    }
}
