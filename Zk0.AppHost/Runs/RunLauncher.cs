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
    GatewayCredentials credentials,
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    AppHostConsole console)
{
    private readonly Lock _gate = new();
    private bool _running;
    private (string RunId, RunDriver Driver)? _active;

    public bool IsRunning
    {
        get { lock (_gate) return _running; }
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
            if (_running) throw new InvalidOperationException("A run is still running; stop it first.");
            _running = true;
        }
        ResourceStateSnapshot? ended = null;
        RunDriver? driver = null;
        try
        {
            var datasets = await NodeDatasetsAsync(cancellationToken);
            driver = new RunDriver(graph.GatewayGrpc.Url is { } url ? new Uri(url) : throw new InvalidOperationException("The gateway has no URL yet."),
                datasets, Report, credentials, graph.GatewayCaFile);
            var outcome = await driver.RunAsync(settings.Config, settings.OutputDirectory, runId => Started(runId, driver), cancellationToken);
            ended = outcome.Lost ? RunStates.Lost : RunStates.Of(outcome.Status);
            return outcome;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex) when (ex is Grpc.Core.RpcException or InvalidOperationException or IOException)
        {
            Report($"the run could not be completed: {ex.Message}");
            ended = RunStates.Failed;
            return null;
        }
        finally
        {
            // Forget the run before the resource shows its end: a command that sees it ended must find no run going.
            lock (_gate) (_running, _active) = (false, null);
            driver?.Dispose();
            if (ended is not null)
                await notifications.PublishUpdateAsync(resource, s => s with { State = ended, StopTimeStamp = DateTime.UtcNow });
        }
    }

    public async Task<bool> StopAsync(string reason, CancellationToken cancellationToken)
    {
        (string RunId, RunDriver Driver)? active;
        lock (_gate) active = _active;
        if (active is not { } run) return false;
        await run.Driver.StopAsync(run.RunId, reason, cancellationToken);
        Report($"asked the SuperLink to stop run {run.RunId} ({reason})");
        return true;
    }

    private void Started(string runId, RunDriver driver)
    {
        lock (_gate) _active = (runId, driver);
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
