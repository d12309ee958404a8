using System.Collections.Concurrent;

namespace Zk0.AppHost.Hosting;

/// <summary>One change of a resource's state or health.</summary>
public sealed record ResourceEvent(string Resource, string State, bool Healthy, string? Message = null);

/// <summary>
/// Tracks every resource's state and health and lets callers wait for them, like Aspire's
/// <c>ResourceNotificationService</c> with <c>WaitBehavior.StopOnResourceUnavailable</c>.
/// </summary>
public sealed class ResourceNotificationService
{
    private readonly ConcurrentDictionary<string, ResourceEvent> _latest = new();
    private readonly object _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public event Action<ResourceEvent>? Changed;

    public ResourceEvent? Latest(string resource) => _latest.GetValueOrDefault(resource);

    public void Publish(ResourceEvent resourceEvent)
    {
        _latest[resourceEvent.Resource] = resourceEvent;
        Changed?.Invoke(resourceEvent);
        TaskCompletionSource previous;
        lock (_gate)
        {
            previous = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        previous.TrySetResult();
    }

    public Task<ResourceEvent> WaitForResourceAsync(string resource, string targetState = KnownResourceStates.Running, CancellationToken cancellationToken = default) =>
        WaitForResourceAsync(resource, e => e.State == targetState, stopWhenUnavailable: false, cancellationToken);

    /// <summary>Waits until the resource is running and healthy; throws if it exits or fails to start first.</summary>
    public Task<ResourceEvent> WaitForResourceHealthyAsync(string resource, CancellationToken cancellationToken = default) =>
        WaitForResourceAsync(resource, e => e.State == KnownResourceStates.Running && e.Healthy, stopWhenUnavailable: true, cancellationToken);

    public async Task<ResourceEvent> WaitForResourceAsync(
        string resource, Func<ResourceEvent, bool> predicate, bool stopWhenUnavailable, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate) changed = _changed.Task;

            if (_latest.TryGetValue(resource, out var latest))
            {
                if (predicate(latest)) return latest;
                if (stopWhenUnavailable && KnownResourceStates.IsTerminal(latest.State))
                {
                    throw new DistributedApplicationException(
                        $"Resource '{resource}' is {latest.State} and will not become healthy{(latest.Message is null ? "" : $": {latest.Message}")}.");
                }
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
