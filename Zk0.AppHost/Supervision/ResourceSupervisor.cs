using Microsoft.Extensions.Logging;
using Zk0.AppHost.Graph;

namespace Zk0.AppHost.Supervision;

/// <summary>
/// Starts a process resource again when it dies on its own (crash, <c>kill -9</c>, out of memory): SuperLink,
/// Evaluator, gateway, SuperNodes, and Garnet or redis-server. It waits <see cref="RestartPolicy"/>'s backoff first
/// and gives up, saying so on the console and in the resource's log, when the resource keeps crashing. A resource the
/// operator stopped (<see cref="OperatorCommands"/>) stays stopped, and so does one that exited with code 0 on its own.
/// Only resources that ran once are restarted: one that cannot start at all is <see cref="GraphMonitor"/>'s report.
/// </summary>
public sealed class ResourceSupervisor(
    SupervisedResources supervised,
    OperatorCommands commands,
    RestartPolicy policy,
    ResourceNotificationService notifications,
    ResourceCommandService resourceCommands,
    ResourceLoggerService logs,
    AppHostConsole console,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    private readonly Dictionary<string, string> _lastState = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ranOnce = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CrashHistory> _crashes = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(stoppingToken))
            {
                if (!supervised.Contains(update.Resource) || update.Snapshot.State?.Text is not { } state) continue;
                if (!commands.IsWatched(update.Resource))
                {
                    // Inside a snapshot update, Aspire holds the resource's lock while it reads the command annotations
                    // for the dashboard: replacing them here cannot race with that read ("collection was modified").
                    await notifications.PublishUpdateAsync(update.Resource, update.ResourceId, snapshot =>
                    {
                        commands.Watch(update.Resource);
                        return snapshot;
                    });
                }
                var before = _lastState.GetValueOrDefault(update.ResourceId);
                _lastState[update.ResourceId] = state;
                if (state == KnownResourceStates.Running) _ranOnce.Add(update.ResourceId);
                if (state == before || !KnownResourceStates.TerminalStates.Contains(state) || !_ranOnce.Contains(update.ResourceId)) continue;
                if (lifetime.ApplicationStopping.IsCancellationRequested || commands.IsStoppedByOperator(update.Resource.Name)) continue;
                // Exit code 0: the service ended on its own terms (a node whose dataset is unusable, say) and logged why;
                // starting it again would only repeat that. A crash or kill -9 exits otherwise.
                if (update.Snapshot.ExitCode == 0) continue;
                _ = RestartAsync(update.ResourceId, update.Resource, update.Snapshot.ExitCode, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RestartAsync(string resourceId, IResource resource, int? exitCode, CancellationToken stoppingToken)
    {
        var log = logs.GetLogger(resource);
        var crashes = RecordCrash(resource.Name);
        var exited = exitCode is { } code ? $"exited (exit code {code})" : "stopped";
        if (policy.DelayAfter(crashes) is not { } delay)
        {
            var message = $"{resource.Name} {exited} {crashes} times within {policy.Window.TotalMinutes:F0} minutes; the AppHost no longer restarts it. " +
                          "Its log says why; fix that and start it with the dashboard's Start command.";
            console.Warn(message);
            log.LogError("{Message}", message);
            return;
        }

        console.Warn($"{resource.Name} {exited} without being asked to; restarting it in {delay.TotalSeconds:F0} s (crash {crashes} of at most {policy.MaxCrashes} within {policy.Window.TotalMinutes:F0} minutes)");
        log.LogWarning("{Resource} {Exited} without being asked to; the AppHost restarts it in {Delay} s", resource.Name, exited, delay.TotalSeconds);
        try
        {
            await Task.Delay(delay, stoppingToken);
            // The operator may have stopped or started it meanwhile, or the AppHost may be shutting down.
            if (lifetime.ApplicationStopping.IsCancellationRequested || commands.IsStoppedByOperator(resource.Name)) return;
            if (!notifications.TryGetCurrentState(resourceId, out var current) || current.Snapshot.State?.Text is not { } state
                || !KnownResourceStates.TerminalStates.Contains(state)) return;
            var result = await OperatorCommands.AsSupervisorAsync(() => resourceCommands.ExecuteCommandAsync(resourceId, KnownResourceCommands.StartCommand, stoppingToken));
            if (!result.Success)
            {
                console.Warn($"{resource.Name} could not be restarted: {result.Message}");
                log.LogError("The AppHost could not restart {Resource}: {Message}", resource.Name, result.Message);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Counts this crash; returns the crashes within the policy's window (since the operator last started it by hand).</summary>
    private int RecordCrash(string resource)
    {
        lock (_crashes)
        {
            if (!_crashes.TryGetValue(resource, out var history)) _crashes[resource] = history = new CrashHistory(policy.Window);
            if (commands.TakeStartedByHand(resource)) history.Clear();
            return history.Record(DateTimeOffset.UtcNow);
        }
    }
}
