using Grpc.Core;
using Grpc.Net.Client;
using Zk0.Federation.Protocol;

namespace Zk0.AppHost.Runs;

/// <summary>
/// Submits a run through the gateway's Control API, follows its event stream (resuming after a
/// dropped stream), and writes the run's metrics when it ends.
/// </summary>
public sealed class RunDriver(Uri gateway, Action<string> report) : IDisposable
{
    private static readonly TimeSpan ReconnectWindow = TimeSpan.FromMinutes(2);
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(gateway, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { UseProxy = false, EnableMultipleHttp2Connections = true },
    });

    public async Task<RunOutcome> RunAsync(IReadOnlyDictionary<string, string> config, string outputDirectory, CancellationToken cancellationToken)
    {
        var control = new Control.ControlClient(_channel);
        var request = new SubmitRunRequest();
        foreach (var (key, value) in config) request.Config[key] = value;
        var submitted = await control.SubmitRunAsync(request, cancellationToken: cancellationToken);
        var runId = submitted.RunId;
        report($"submitted run {runId} ({string.Join(' ', config.Select(kv => $"{kv.Key}={kv.Value}"))})");

        await FollowAsync(control, runId, cancellationToken);

        var detail = await control.GetRunAsync(new GetRunRequest { RunId = runId }, cancellationToken: cancellationToken);
        var path = MetricsFile.Write(detail, outputDirectory);
        report($"metrics written to {path}");
        var message = detail.Summary.Message.Length > 0 ? detail.Summary.Message : null;
        return new RunOutcome(runId, detail.Summary.Status, message, path);
    }

    private async Task FollowAsync(Control.ControlClient control, string runId, CancellationToken cancellationToken)
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
                    if (RunProgress.Describe(runEvent) is { } line) report(line);
                    if (runEvent.Terminal) return;
                }
                // The stream ended without a terminal event: check whether the run is over.
                var run = await control.GetRunAsync(new GetRunRequest { RunId = runId }, cancellationToken: cancellationToken);
                if (run.Summary.Status is RunStatus.Completed or RunStatus.Failed or RunStatus.Stopped) return;
            }
            // A proxy or a restarting SuperLink can drop the stream (Cancelled, Unavailable, ...): resume after the last event seen.
            catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown or StatusCode.Cancelled
                                          && !cancellationToken.IsCancellationRequested)
            {
                failingSince ??= DateTimeOffset.UtcNow;
                if (DateTimeOffset.UtcNow - failingSince > ReconnectWindow) throw;
                report($"event stream interrupted ({ex.Status.Detail}); reconnecting");
            }
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    public void Dispose() => _channel.Dispose();
}
