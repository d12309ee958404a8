using Grpc.Core;
using Grpc.Net.Client;
using Zk0.Federation.Protocol;
using Zk0.Federation.Runs;
using Zk0.Federation.Security;

namespace Zk0.AppHost.Runs;

/// <summary>
/// Submits a run through the gateway's Control API, follows its event stream (resuming after a
/// dropped stream), and writes the run's outputs (<see cref="RunOutputs"/>) as it goes and when it ends.
/// </summary>
/// <param name="nodeDatasets">The dataset URI of each local node, by node index (what run.json records).</param>
/// <param name="credentials">What the gateway asks of the AppHost's calls; null: nothing (authentication off).</param>
/// <param name="caFile">The CA the gateway's certificate must chain to (the AppHost's --tls), null for plain h2c.</param>
public sealed class RunDriver(Uri gateway, IReadOnlyList<string> nodeDatasets, Action<string> report, GatewayCredentials? credentials = null, string? caFile = null) : IDisposable
{
    private static readonly TimeSpan ReconnectWindow = TimeSpan.FromMinutes(5); // as long as the AppHost keeps restarting a crashing SuperLink (RestartPolicy.Window)
    private static readonly TimeSpan NodesOnlineWait = TimeSpan.FromMinutes(2);
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(gateway, new GrpcChannelOptions
    {
        HttpHandler = Handler(caFile),
    });
    private readonly GatewayCredentials _credentials = credentials ?? GatewayCredentials.None;
    private NodeKeyPair? _key;

    private Control.ControlClient NewControl() => new(_credentials.ForControl(_channel.CreateCallInvoker()));

    private Fleet.FleetClient NewFleet()
    {
        var (invoker, key) = _credentials.ForFleet(_channel.CreateCallInvoker());
        _key?.Dispose();
        _key = key;
        return new Fleet.FleetClient(invoker);
    }

    /// <summary>The Evaluator's HTTP API through the gateway (<c>/evaluator/</c>), over HTTP/2 as the gateway's plain port needs.</summary>
    private HttpClient EvaluatorHttp()
    {
        var http = new HttpClient(Handler(caFile))
        {
            BaseAddress = new Uri($"{gateway.AbsoluteUri.TrimEnd('/')}/evaluator/"),
            DefaultRequestVersion = System.Net.HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromMinutes(2),
        };
        if (_credentials.OperatorToken is { Length: > 0 } token)
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(OperatorCredential.Scheme, token);
        return http;
    }

    private static SocketsHttpHandler Handler(string? caFile)
    {
        if (caFile is null) return new SocketsHttpHandler { UseProxy = false, EnableMultipleHttp2Connections = true };
        var handler = ServerTrust.CreateHandler(caFile);
        handler.UseProxy = false;
        return handler;
    }

    /// <param name="submitted">Called with the run id as soon as the SuperLink accepted the run.</param>
    public async Task<RunOutcome> RunAsync(IReadOnlyDictionary<string, string> config, string outputDirectory,
        Action<string> submitted, CancellationToken cancellationToken)
    {
        var control = NewControl();
        await WaitForNodesAsync(control, cancellationToken);
        var request = new SubmitRunRequest();
        foreach (var (key, value) in config) request.Config[key] = value;
        var reply = await control.SubmitRunAsync(request, cancellationToken: cancellationToken);
        var runId = reply.RunId;
        submitted(runId);
        report($"submitted run {runId} ({string.Join(' ', config.Select(kv => $"{kv.Key}={kv.Value}"))})");

        using var evaluatorHttp = EvaluatorHttp();
        using var outputs = new RunOutputs(control, NewFleet(), outputDirectory, runId, config, nodeDatasets, report, new EvaluationVideoDownloader(evaluatorHttp));
        await outputs.StartAsync(cancellationToken);
        report($"run outputs go to {outputs.Directory}");

        try
        {
            await FollowAsync(control, runId, outputs, cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            var reason = $"the SuperLink no longer has run {runId}: {ex.Status.Detail} Its rounds so far are in {outputs.MetricsPath}; submit it again.";
            report($"run {runId} is lost: {reason}");
            await outputs.MarkLostAsync(reason, cancellationToken);
            return new RunOutcome(runId, RunStatus.Failed, reason, outputs.MetricsPath, Lost: true);
        }

        var detail = await outputs.FinishAsync(cancellationToken);
        report($"metrics written to {outputs.MetricsPath}");
        var message = detail.Summary.Message.Length > 0 ? detail.Summary.Message : null;
        return new RunOutcome(runId, detail.Summary.Status, message, outputs.MetricsPath);
    }

    /// <summary>
    /// Waits until every local node is online (a node registers a moment after it reports healthy), so the first round
    /// trains on all of them although min-train-nodes leaves room for one to die.
    /// </summary>
    private async Task WaitForNodesAsync(Control.ControlClient control, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var online = 0;
        while (clock.Elapsed < NodesOnlineWait)
        {
            var nodes = await ControlListing.AllNodesAsync(control, cancellationToken: cancellationToken);
            online = nodes.Count(n => n.Online && n.Role == "trainer");
            if (online >= nodeDatasets.Count) return;
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
        report($"only {online} of {nodeDatasets.Count} nodes registered within {NodesOnlineWait.TotalMinutes:F0} minutes; submitting the run anyway");
    }

    public async Task StopAsync(string runId, string reason, CancellationToken cancellationToken) =>
        await NewControl().StopRunAsync(new StopRunRequest { RunId = runId, Reason = reason }, cancellationToken: cancellationToken);

    private async Task FollowAsync(Control.ControlClient control, string runId, RunOutputs outputs, CancellationToken cancellationToken)
    {
        long lastSequence = 0;
        var failingSince = (DateTimeOffset?)null;
        while (true)
        {
            try
            {
                using var stream = control.StreamRunEvents(
                    new StreamRunEventsRequest { RunId = runId, AfterSequence = lastSequence }, cancellationToken: cancellationToken);
                await foreach (var runEvent in stream.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    failingSince = null;
                    lastSequence = Math.Max(lastSequence, runEvent.Sequence);
                    if (RunEventText.Describe(runEvent) is { } line) report(line);
                    if (runEvent.Kind == RunEventKind.RoundCompleted) await outputs.RoundCompletedAsync(runEvent.Round, cancellationToken);
                    if (runEvent.Terminal) return;
                }
                // The stream ended without a terminal event: check whether the run is over.
                var run = await control.GetRunAsync(new GetRunRequest { RunId = runId }, cancellationToken: cancellationToken);
                if (run.Summary.Status is RunStatus.Completed or RunStatus.Failed or RunStatus.Stopped) return;
            }
            // A proxy or a restarting SuperLink can drop the stream (Cancelled, Unavailable, ...): resume after the last event seen.
            catch (RpcException ex) when (ConnectionLoss.Is(ex, cancellationToken))
            {
                failingSince ??= DateTimeOffset.UtcNow;
                if (DateTimeOffset.UtcNow - failingSince > ReconnectWindow) throw;
                report($"event stream interrupted ({ex.Status.Detail}); reconnecting");
            }
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    public void Dispose()
    {
        _channel.Dispose();
        _key?.Dispose();
    }
}
