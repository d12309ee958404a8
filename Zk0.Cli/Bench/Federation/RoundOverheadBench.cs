using Zk0.Federation.Blobs;
using Zk0.Federation.Protocol;
using Zk0.Federation.Safetensors;
using Zk0.Cli.Simulation;

namespace Zk0.Cli.Bench.Federation;

/// <summary>
/// Round overhead excluding training: many nodes answer their train task at once, and the time from the round's start
/// to its committed model is what coordination costs (task hand-out, result recording, fold, commit). Measured twice:
/// with each node's update staged (uploaded once, in the first round; the coordinator alone, the goal's row) and with every node
/// downloading the global model and uploading a fresh update within the round (what transfers add).
/// </summary>
public sealed class RoundOverheadBench : IFederationBench
{
    private const int Rounds = 5;

    public string Name => "overhead";

    public async Task<IReadOnlyList<BenchRow>> RunAsync(FederationBenchSettings settings, Action<string> log, CancellationToken ct)
    {
        var nodes = settings.OverheadNodes;
        var model = new SyntheticModel(settings.OverheadParameters);
        var shape = $"{nodes} nodes × {Millions(settings.OverheadParameters)} params";
        var stagedRounds = await MeasureAsync(settings, model, nodes, stagedUpdates: true, log, ct);
        var staged = stagedRounds.Select(r => r.Total).ToList();
        var transferred = (await MeasureAsync(settings, model, nodes, stagedUpdates: false, log, ct)).Select(r => r.Total).ToList();
        return
        [
            BenchRow.Compare($"round overhead, {shape}, updates staged", "≤ 100 ms", Median(staged), v => v <= 100, "0 ms",
                $"round start → committed model, median of {Rounds} rounds: [{string.Join(", ", staged)}] ms; last result in after " +
                $"[{string.Join(", ", stagedRounds.Select(r => r.ResultsIn))}] ms, then fold + commit [{string.Join(", ", stagedRounds.Select(r => r.Commit))}] ms"),
            BenchRow.Figure($"round time, {shape}, with transfers", $"{Median(transferred)} ms",
                $"each node downloads the model and uploads a new update in the round; [{string.Join(", ", transferred)}] ms"),
        ];
    }

    private static async Task<IReadOnlyList<RoundTiming>> MeasureAsync(FederationBenchSettings settings, SyntheticModel model, int nodeCount, bool stagedUpdates, Action<string> log, CancellationToken ct)
    {
        using var federation = await BenchFederation.StartAsync(Path.Combine(settings.WorkDirectory, stagedUpdates ? "overhead-staged" : "overhead-transfers"), withGateway: false, null, ct);
        using var channel = BenchFederation.Channel(federation.FleetAddress);
        var fleet = new Fleet.FleetClient(channel);
        var control = new Control.ControlClient(channel);
        var initial = await BenchRun.UploadAsync(fleet, model, 0, BlobCaller.Operator, ct);
        var nodes = Enumerable.Range(1, nodeCount).Select(i => new SyntheticNode(fleet, $"bench-{i:D4}", 100)).ToList();
        foreach (var node in nodes) await node.RegisterAsync(ct);
        // A result may only name a blob its node uploaded for the run, so each node stages its update in its first task
        // (that round includes the uploads; the median of the rounds does not) and answers every later one with it.
        var staged = new System.Collections.Concurrent.ConcurrentDictionary<SyntheticNode, Task<string>>();
        log($"{nodeCount} nodes registered; running {Rounds} rounds{(stagedUpdates ? ", updates staged in the first" : "")}");

        var cadence = new NodeCadence(TimeSpan.Zero, TimeSpan.FromSeconds(5));
        return await SyntheticNode.WhileServingAsync(nodes, (node, i, token) => node.ServeAsync(stagedUpdates
            ? (task, t) => staged.GetOrAdd(node, _ => BenchRun.UploadAsync(fleet, model, i + 1, new BlobCaller(node.NodeId, task.RunId), t))
            : (task, t) => TransferAsync(fleet, model, node, i, task, t), cadence, null, token), async () =>
        {
            var runId = await BenchRun.SubmitAsync(control, BenchRun.Config(initial, Rounds, nodeCount, TimeSpan.FromMinutes(10)), ct);
            IReadOnlyList<RunEvent> events;
            try
            {
                events = await BenchRun.WaitForCompletionAsync(control, runId, TimeSpan.FromMinutes(10), ct);
            }
            catch (TimeoutException e)
            {
                var silent = nodes.Where(n => n.Failures.Count > 0 || n.TasksAnswered == 0).Select(n => $"{n.NodeId} answered {n.TasksAnswered} now {n.Activity} failures [{string.Join(" / ", n.Failures.Take(2))}]").Take(5);
                throw new TimeoutException($"{e.Message} Nodes: {string.Join("; ", silent)}{Environment.NewLine}SuperLink:{Environment.NewLine}{federation.SuperLink.Tail()}", e);
            }
            SyntheticNode.ThrowIfAnyFailed(nodes);
            return BenchRun.RoundTimings(events);
        }, ct);
    }

    private static async Task<string> TransferAsync(Fleet.FleetClient fleet, SyntheticModel model, SyntheticNode node, int index, FederatedTask task, CancellationToken ct)
    {
        var caller = new BlobCaller(node.NodeId, task.RunId);
        await BlobTransfer.DownloadAsync(fleet, task.GlobalModelHash, Stream.Null, caller, ct);
        return await BenchRun.UploadAsync(fleet, model, task.Round * 100_000 + index + 1, caller, ct);
    }

    private static long Median(IReadOnlyList<long> values) => values.Order().ElementAt(values.Count / 2);

    private static string Millions(long parameters) => parameters >= 1_000_000 ? $"{parameters / 1_000_000.0:0.#} M" : $"{parameters / 1000.0:0.#} k";
}
