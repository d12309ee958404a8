using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Grpc.Core;
using Grpc.Net.Client;
using Zk0.AppHost.Runs;
using Zk0.Federation.Protocol;

namespace Zk0.Tests.Integration.Graph;

/// <summary>
/// The Zk0 AppHost under Aspire.Hosting.Testing, started with the given command line exactly as
/// <c>dotnet run --project Zk0.AppHost -- ARGS</c> would be, its logs in graph-logs/.
/// </summary>
public sealed class TestGraph : IAsyncDisposable
{
    private readonly GraphLogFile _log;

    private TestGraph(DistributedApplication app, GraphLogFile log) => (App, _log) = (app, log);

    public DistributedApplication App { get; }

    public string LogPath => _log.FilePath;

    public static async Task<TestGraph> BuildAsync(string name, string[] args, IReadOnlyDictionary<string, string?>? configuration = null,
        bool dashboard = false, CancellationToken cancellationToken = default)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Zk0_AppHost>(args, (options, settings) =>
        {
            options.DisableDashboard = !dashboard;
            if (configuration is not null) settings.Configuration!.AddInMemoryCollection(configuration);
        }, cancellationToken);
        var log = new GraphLogFile(name);
        builder.Services.AddLogging(logging =>
        {
            logging.ClearProviders();
            logging.AddProvider(log);
        });
        return new TestGraph(await builder.BuildAsync(cancellationToken), log);
    }

    public ResourceNotificationService Notifications => App.ResourceNotifications;

    public Uri DashboardUrl => App.GetEndpoint("aspire-dashboard", "http");

    public IResource Resource(string name) =>
        App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == name);

    public IReadOnlyList<string> ResourceNames<T>() where T : IResource =>
        App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<T>()
            .Select(r => r.Name).Where(n => !n.EndsWith("-rebuilder", StringComparison.Ordinal)).ToList();

    /// <summary>Waits until the AppHost's run resource shows a run (<paramref name="runId"/>, or any) in a terminal state.</summary>
    public async Task<FinishedRun> WaitForRunAsync(CancellationToken cancellationToken, string? runId = null)
    {
        var finished = await Notifications.WaitForResourceAsync("run", e =>
            RunStates.Terminal.Contains(e.Snapshot.State?.Text) && Property(e, FederationRunResource.RunIdProperty) is { } id && (runId is null || id == runId),
            cancellationToken);
        return new FinishedRun(finished.Snapshot.State!.Text, Property(finished, FederationRunResource.RunIdProperty)!,
            Property(finished, FederationRunResource.OutputsProperty)!);
    }

    /// <summary>Starts the AppHost's run again with the SuperLink's "Start run" command; returns the new run's id once it runs.</summary>
    public async Task<string> StartRunAsync(string previousRunId, CancellationToken cancellationToken)
    {
        var started = await App.ResourceCommands.ExecuteCommandAsync(Resource("superlink"), "start-run", cancellationToken);
        Assert.True(started.Success, started.Message);
        var running = await Notifications.WaitForResourceAsync("run", e =>
            e.Snapshot.State?.Text == "Running" && Property(e, FederationRunResource.RunIdProperty) is { } id && id != previousRunId, cancellationToken);
        return Property(running, FederationRunResource.RunIdProperty)!;
    }

    /// <summary><c>kill -9</c> of a resource's process (and its children), as a crash would; returns when it was killed.</summary>
    public DateTime Kill(string resourceName)
    {
        Assert.True(Notifications.TryGetCurrentState(resourceName, out var current), $"{resourceName} has no state");
        var pid = current.Snapshot.Properties.FirstOrDefault(p => p.Name.EndsWith(".pid", StringComparison.Ordinal))?.Value?.ToString();
        Assert.True(int.TryParse(pid, out var id), $"{resourceName} shows no process id: {string.Join(", ", current.Snapshot.Properties.Select(p => p.Name))}");
        var killedAt = DateTime.UtcNow;
        ProcessTree.Kill(id);
        return killedAt;
    }

    /// <summary>Waits until the AppHost started <paramref name="resourceName"/> again after <paramref name="since"/> and it is healthy.</summary>
    public async Task<ResourceEvent> WaitForRestartAsync(string resourceName, DateTime since, CancellationToken cancellationToken)
    {
        await Notifications.WaitForResourceAsync(resourceName, e => e.Snapshot.StartTimeStamp > since && e.Snapshot.State?.Text == "Running", cancellationToken);
        return await Notifications.WaitForResourceHealthyAsync(resourceName, cancellationToken);
    }

    /// <summary>The first event of <paramref name="runId"/> (replayed from its start) that <paramref name="match"/> accepts.</summary>
    public async Task<RunEvent> WaitForRunEventAsync(string runId, Func<RunEvent, bool> match, CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress(App.GetEndpoint("gateway", "grpc"));
        using var stream = new Control.ControlClient(channel).StreamRunEvents(new StreamRunEventsRequest { RunId = runId }, cancellationToken: cancellationToken);
        await foreach (var runEvent in stream.ResponseStream.ReadAllAsync(cancellationToken))
            if (match(runEvent)) return runEvent;
        throw new InvalidOperationException($"run {runId} ended without the event the test waited for; the graph's log is {LogPath}");
    }

    public static string? Property(ResourceEvent e, string name) =>
        e.Snapshot.Properties.FirstOrDefault(p => p.Name == name)?.Value?.ToString();

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        _log.Dispose();
    }
}

public sealed record FinishedRun(string State, string RunId, string OutputDirectory)
{
    public string MetricsPath => Path.Combine(OutputDirectory, "metrics.json");
}
