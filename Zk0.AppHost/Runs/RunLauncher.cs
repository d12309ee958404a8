using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Zk0.AppHost.Graph;
using Zk0.Federation.Protocol;

namespace Zk0.AppHost.Runs;

/// <summary>
/// Starts the AppHost's run through the gateway and follows it to the end, one at a time, reporting
/// progress on the console and in the run resource's log and state; stops it on request (the
/// SuperLink's "Stop run" command).
/// </summary>
public sealed class RunLauncher(
    FederationRunResource resource,
    FederationGraph graph,
    DefaultRunSettings settings,
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    AppHostConsole console)
{
    private readonly Lock _gate = new();
    private string? _activeRunId;
    private bool _starting;

    public bool IsRunning
    {
        get { lock (_gate) return _starting || _activeRunId is not null; }
    }

    public Task ShowAsync(ResourceStateSnapshot state, string? note = null)
    {
        if (note is not null) Report(note);
        return notifications.PublishUpdateAsync(resource, s => s with { State = state });
    }

    /// <summary>Submits the configured run and follows it until it ends; never throws for a run that fails.</summary>
    public async Task<RunOutcome?> RunAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_starting || _activeRunId is not null) throw new InvalidOperationException($"Run {_activeRunId} is still running; stop it first.");
            _starting = true;
        }
        try
        {
            var datasets = await NodeDatasetsAsync(cancellationToken);
            using var driver = new RunDriver(graph.GatewayGrpc.Url is { } url ? new Uri(url) : throw new InvalidOperationException("The gateway has no URL yet."),
                datasets, Report);
            var outcome = await driver.RunAsync(settings.Config, settings.OutputDirectory, runId => Started(runId), cancellationToken);
            Ended();
            await notifications.PublishUpdateAsync(resource, s => s with { State = RunStates.Of(outcome.Status), StopTimeStamp = DateTime.UtcNow });
            return outcome;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex) when (ex is Grpc.Core.RpcException or InvalidOperationException or IOException)
        {
            Report($"the run could not be completed: {ex.Message}");
            Ended();
            await notifications.PublishUpdateAsync(resource, s => s with { State = RunStates.Failed, StopTimeStamp = DateTime.UtcNow });
            return null;
        }
        finally
        {
            Ended();
        }
    }

    /// <summary>Before the run resource shows the end: a command that sees it ended must find no run going.</summary>
    private void Ended()
    {
        lock (_gate) (_starting, _activeRunId) = (false, null);
    }

    public async Task<bool> StopAsync(string reason, CancellationToken cancellationToken)
    {
        string? runId;
        lock (_gate) runId = _activeRunId;
        if (runId is null) return false;
        using var driver = new RunDriver(new Uri(graph.GatewayGrpc.Url), [], Report);
        await driver.StopAsync(runId, reason, cancellationToken);
        Report($"asked the SuperLink to stop run {runId} ({reason})");
        return true;
    }

    private void Started(string runId)
    {
        lock (_gate) _activeRunId = runId;
        var outputs = Path.Combine(Path.GetFullPath(settings.OutputDirectory), runId);
        _ = notifications.PublishUpdateAsync(resource, s => s with
        {
            State = RunStates.Running,
            StartTimeStamp = DateTime.UtcNow,
            StopTimeStamp = null,
            Properties = s.Properties
                .RemoveAll(p => p.Name is FederationRunResource.RunIdProperty or FederationRunResource.OutputsProperty)
                .AddRange(ImmutableArray.Create(
                    new ResourcePropertySnapshot(FederationRunResource.RunIdProperty, runId),
                    new ResourcePropertySnapshot(FederationRunResource.OutputsProperty, outputs))),
        });
    }

    private async Task<IReadOnlyList<string>> NodeDatasetsAsync(CancellationToken cancellationToken)
    {
        var datasets = new List<string>();
        foreach (var dataset in graph.NodeDatasets)
            datasets.Add(await dataset.Resource.GetValueAsync(cancellationToken) ?? "");
        return datasets;
    }

    private void Report(string line)
    {
        console.Say(line);
        logs.GetLogger(resource).LogInformation("{Line}", line);
    }
}
