using Grpc.Core;
using Zk0.Federation.Blobs;
using Zk0.Federation.Protocol;
using Zk0.Federation.Safetensors;

namespace Zk0.Cli.Simulation;

/// <summary>Submits a run through the Control API and collects its events until it ends.</summary>
public static class BenchRun
{
    /// <summary>FedAvg from a given initial model, no server evaluation, every online node selected each round.</summary>
    public static Dictionary<string, string> Config(string initialModel, int rounds, int nodes, TimeSpan roundTimeout) => new()
    {
        ["num-server-rounds"] = $"{rounds}",
        ["initial-model"] = initialModel,
        ["server-eval"] = "false",
        ["min-train-nodes"] = $"{nodes}",
        ["fraction-train"] = "1",
        ["round-timeout-seconds"] = $"{(int)roundTimeout.TotalSeconds}",
        ["node-wait-timeout-seconds"] = "120",
        ["strategy"] = "fedavg",
        ["seed"] = "1",
    };

    /// <summary>Uploads a float32 model variant, generated while it streams, and returns its hash.</summary>
    public static async Task<string> UploadAsync(Fleet.FleetClient fleet, SyntheticModel model, int variant, BlobCaller caller, CancellationToken ct)
    {
        var (sha, size) = model.Hash(SafetensorsDType.F32, variant);
        await using var content = model.OpenRead(SafetensorsDType.F32, variant, out var producer);
        var reply = await BlobTransfer.UploadAsync(fleet, content, sha, size, caller, ct);
        await producer;
        return reply.Sha256;
    }

    public static async Task<string> SubmitAsync(Control.ControlClient control, IReadOnlyDictionary<string, string> config, CancellationToken ct)
    {
        var request = new SubmitRunRequest();
        foreach (var (key, value) in config) request.Config[key] = value;
        return (await control.SubmitRunAsync(request, cancellationToken: ct)).RunId;
    }

    /// <summary>Every event of the run until its terminal one; throws when the run did not complete.</summary>
    public static async Task<IReadOnlyList<RunEvent>> WaitForCompletionAsync(Control.ControlClient control, string runId, TimeSpan timeout, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        var events = new List<RunEvent>();
        try
        {
            using var stream = control.StreamRunEvents(new StreamRunEventsRequest { RunId = runId }, cancellationToken: limit.Token);
            await foreach (var e in stream.ResponseStream.ReadAllAsync(limit.Token))
            {
                events.Add(e);
                if (e.Terminal) break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled } && !ct.IsCancellationRequested)
        {
        {
            var round = events.LastOrDefault(e => e.Kind == RunEventKind.RoundStarted)?.Round ?? 0;
            var results = events.Count(e => e.Round == round && e.Kind == RunEventKind.ResultReceived);
            var assigned = events.Count(e => e.Round == round && e.Kind == RunEventKind.TaskAssigned);
            throw new TimeoutException($"Run {runId} did not end within {timeout.TotalSeconds:0} s: round {round} has {results} result(s) of {assigned} assigned task(s) (last event: {events.LastOrDefault()?.Kind}).");
        }
        }
        var last = events.LastOrDefault();
        if (last?.Kind != RunEventKind.RunCompleted)
            throw new InvalidOperationException($"Run {runId} ended {last?.Kind}: {last?.Message}");
        return events;
    }

    /// <summary>Each round's timing from the SuperLink's own event times.</summary>
    public static IReadOnlyList<RoundTiming> RoundTimings(IReadOnlyList<RunEvent> events) =>
        events.Where(e => e.Kind == RunEventKind.ModelCommitted).Select(c =>
        {
            var start = events.First(s => s.Kind == RunEventKind.RoundStarted && s.Round == c.Round).UnixMs;
            var lastResult = events.Where(r => r.Kind == RunEventKind.ResultReceived && r.Round == c.Round).Select(r => r.UnixMs).DefaultIfEmpty(start).Max();
            return new RoundTiming(lastResult - start, c.UnixMs - lastResult);
        }).ToList();
}

/// <summary>Milliseconds from a round's start until its last result was recorded, and from then to its committed model.</summary>
public sealed record RoundTiming(long ResultsIn, long Commit)
{
    /// <summary>Round start to committed model.</summary>
    public long Total => ResultsIn + Commit;
}
