using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Zk0.AppHost.Graph;

/// <summary>
/// Tells the person at the console how the graph is doing: when every resource is healthy (with the
/// gateway's and the dashboard's URLs), which resource keeps the graph from starting and why (its
/// health report or the last lines of its log), and any resource that stops later.
/// With <c>--exit-when-done</c> a graph that cannot start ends the AppHost with exit code 1.
/// It starts watching before Aspire's orchestrator starts anything (<see cref="StartingAsync"/>):
/// Aspire's own start-up only completes once every resource has been started.
/// </summary>
public sealed partial class GraphMonitor(
    DistributedApplicationModel model,
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    FederationGraph graph,
    AppHostConsole console,
    AppHostExit exit,
    IConfiguration configuration,
    IHostApplicationLifetime lifetime) : IHostedLifecycleService
{
    private static readonly TimeSpan FirstStallReport = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan StallReportInterval = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan GiveUpWhenExitingAfter = TimeSpan.FromMinutes(10);
    private const int LogLinesInReport = 12;

    private readonly TaskCompletionSource _healthy = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when every resource is healthy; faults when one cannot start.</summary>
    public Task Healthy => _healthy.Task;

    private readonly CancellationTokenSource _stopping = new();
    private Task _watching = Task.CompletedTask;

    // From this host's start, not the process's: a test process starts many graphs, one after another.
    private readonly Stopwatch _sinceStarting = new();

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _sinceStarting.Start();
        _watching = Task.Run(() => WatchAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _watching.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task WatchAsync(CancellationToken stoppingToken)
    {
        var watched = WatchedResources();
        try
        {
            await WaitUntilHealthyAsync(watched, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            _healthy.TrySetCanceled(stoppingToken);
            return;
        }
        catch (GraphStartException ex)
        {
            console.Warn(ex.Message);
            _healthy.TrySetException(ex);
            if (graph.ExitWhenDone) exit.StopWith(1);
            else console.Say("the dashboard shows every resource's state and logs; press Ctrl+C to stop");
            return;
        }

        console.Say($"graph healthy in {_sinceStarting.Elapsed.TotalSeconds:F1} s; {graph.Nodes} node(s); " +
                    $"gateway {graph.GatewayGrpc.Url} (gRPC: nodes and the zk0 CLI connect here)");
        console.Say($"federation page {graph.GatewayPage.Url}/ (runs, rounds and curves, live)");
        if (DashboardUrl() is { } dashboard) console.Say($"dashboard {dashboard}");
        _healthy.TrySetResult();

        await ReportStopsAsync(watched, stoppingToken);
    }

    private IReadOnlyList<IResource> WatchedResources() => model.Resources
        .Where(r => r is ProjectResource or ExecutableResource or ConnectionStringResource)
        .Where(r => !r.Name.StartsWith("aspire-", StringComparison.Ordinal))
        .Where(r => !r.Name.EndsWith("-rebuilder", StringComparison.Ordinal))
        .ToList();

    private async Task WaitUntilHealthyAsync(IReadOnlyList<IResource> resources, CancellationToken cancellationToken)
    {
        var waits = resources.ToDictionary(
            r => (Task)notifications.WaitForResourceHealthyAsync(r.Name, WaitBehavior.StopOnResourceUnavailable, cancellationToken), r => r);
        var clock = Stopwatch.StartNew();
        var nextReport = FirstStallReport;
        while (waits.Count > 0)
        {
            var delay = Task.Delay(nextReport - clock.Elapsed > TimeSpan.Zero ? nextReport - clock.Elapsed : TimeSpan.Zero, cancellationToken);
            var finished = await Task.WhenAny(waits.Keys.Append(delay));
            cancellationToken.ThrowIfCancellationRequested();
            if (finished == delay)
            {
                var pending = waits.Values.ToList();
                if (graph.ExitWhenDone && clock.Elapsed > GiveUpWhenExitingAfter)
                    throw new GraphStartException($"the graph did not become healthy in {GiveUpWhenExitingAfter.TotalMinutes:F0} minutes: {DescribeWaiting(pending)}");
                console.Say($"still waiting after {clock.Elapsed.TotalSeconds:F0} s: {DescribeWaiting(pending)}");
                nextReport = clock.Elapsed + StallReportInterval;
                continue;
            }

            var resource = waits[finished];
            waits.Remove(finished);
            if (finished.IsFaulted)
                throw new GraphStartException(await DescribeFailureAsync(resource, "could not start"));
        }
    }

    private string DescribeWaiting(IEnumerable<IResource> pending)
    {
        var blocking = new List<string>();
        var waiting = new List<string>();
        foreach (var resource in pending)
        {
            if (!notifications.TryGetCurrentState(resource.Name, out var current))
            {
                blocking.Add($"{resource.Name} (not started)");
                continue;
            }
            var snapshot = current.Snapshot;
            var state = snapshot.State?.Text ?? "unknown";
            if (state == KnownResourceStates.Waiting)
            {
                waiting.Add(resource.Name);
                continue;
            }
            var unhealthy = snapshot.HealthReports.Where(h => h.Status != HealthStatus.Healthy && !string.IsNullOrEmpty(h.Description))
                .Select(h => h.Description!).FirstOrDefault();
            blocking.Add(unhealthy is null ? $"{resource.Name} ({state})" : $"{resource.Name} ({state}, unhealthy: {unhealthy})");
        }
        if (waiting.Count > 0) blocking.Add($"waiting on those: {string.Join(", ", waiting)}");
        return string.Join("; ", blocking);
    }

    private async Task ReportStopsAsync(IReadOnlyList<IResource> resources, CancellationToken cancellationToken)
    {
        var names = resources.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var lastState = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            await foreach (var update in notifications.WatchAsync(cancellationToken))
            {
                if (!names.Contains(update.Resource.Name) || update.Snapshot.State?.Text is not { } state) continue;
                var before = lastState.GetValueOrDefault(update.ResourceId);
                lastState[update.ResourceId] = state;
                if (before == state || lifetime.ApplicationStopping.IsCancellationRequested) continue;
                if (KnownResourceStates.TerminalStates.Contains(state) && before is not null)
                    console.Warn(await DescribeFailureAsync(update.Resource, state == KnownResourceStates.FailedToStart ? "could not start" : "stopped"));
                else if (state == KnownResourceStates.Running && before is not null && KnownResourceStates.TerminalStates.Contains(before))
                    console.Say($"{update.Resource.Name} is running again");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<string> DescribeFailureAsync(IResource resource, string what)
    {
        var exitCode = notifications.TryGetCurrentState(resource.Name, out var current) && current.Snapshot.ExitCode is { } code
            ? $" (exit code {code})" : "";
        var tail = await LastLogLinesAsync(resource);
        var log = tail.Count == 0 ? "" : $"; its last log lines:{Environment.NewLine}  " + string.Join($"{Environment.NewLine}  ", tail);
        return $"{resource.Name} {what}{exitCode}{log}";
    }

    private async Task<IReadOnlyList<string>> LastLogLinesAsync(IResource resource)
    {
        var lines = new Queue<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await foreach (var batch in logs.GetAllAsync(resource).WithCancellation(timeout.Token))
            {
                foreach (var line in batch)
                {
                    lines.Enqueue(AnsiEscapes.Replace(line.Content, ""));
                    if (lines.Count > LogLinesInReport) lines.Dequeue();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        return lines.ToList();
    }

    [System.Text.RegularExpressions.GeneratedRegex("\\x1b\\[[0-9;]*m")]
    private static partial System.Text.RegularExpressions.Regex AnsiEscapesPattern();

    private static readonly System.Text.RegularExpressions.Regex AnsiEscapes = AnsiEscapesPattern();

    /// <summary>
    /// Where the dashboard answers (its proxy's URL, which differs from ASPNETCORE_URLS when ports are randomized), with
    /// the login token Aspire generated unless the dashboard runs without a login.
    /// </summary>
    private string? DashboardUrl()
    {
        var url = model.Resources.OfType<IResourceWithEndpoints>().FirstOrDefault(r => r.Name == "aspire-dashboard")?
            .GetEndpoints().FirstOrDefault(e => e.IsAllocated && e.Scheme is "http" or "https")?.Url;
        return url is not null && configuration["AppHost:BrowserToken"] is { Length: > 0 } token ? $"{url}/login?t={token}" : url;
    }
}

public sealed class GraphStartException(string message) : Exception(message);
