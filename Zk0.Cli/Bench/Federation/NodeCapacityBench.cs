using System.Collections.Concurrent;
using Zk0.Federation.Blobs;
using Zk0.Federation.Protocol;
using Zk0.Federation.Safetensors;
using Zk0.Cli.Simulation;

namespace Zk0.Cli.Bench.Federation;

/// <summary>
/// How many nodes one SuperLink serves: simulated nodes pull for tasks every 3 s and heartbeat every 30 s (Flower's
/// SuperNode defaults) while rounds in which every node trains (a tiny model, a real upload each) must complete with
/// every node's result, and calls must be answered within the pull interval (p99). Node counts grow until a level fails;
/// the row gives the largest that worked and why the next broke.
/// </summary>
public sealed class NodeCapacityBench : IFederationBench
{
    private const int Rounds = 2;
    private const int NodesPerChannel = 250;
    private static readonly NodeCadence FlowerCadence = new(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(30));

    public string Name => "capacity";

    public async Task<IReadOnlyList<BenchRow>> RunAsync(FederationBenchSettings settings, Action<string> log, CancellationToken ct)
    {
        var levels = new List<string>();
        var largest = 0;
        string? breakage = null;
        foreach (var nodes in settings.CapacityNodeCounts)
        {
            var level = await MeasureAsync(settings, nodes, log, ct);
            log(level.Summary);
            levels.Add(level.Summary);
            if (level.Failure is not null)
            {
                breakage = $"breaks at {nodes}: {level.Failure}";
                break;
            }
            largest = nodes;
        }
        var goal = settings.IsShort ? settings.CapacityNodeCounts[0] : 1000;
        return
        [
            BenchRow.Compare("nodes per SuperLink, pull 3 s + heartbeat 30 s, rounds completing", $"≥ {goal}", largest, v => v >= goal, "0",
                string.Join("; ", levels) + "; " + (breakage ?? $"did not break up to {settings.CapacityNodeCounts[^1]}")),
        ];
    }

    private sealed record Level(string Summary, string? Failure);

    private static async Task<Level> MeasureAsync(FederationBenchSettings settings, int nodeCount, Action<string> log, CancellationToken ct)
    {
        var directory = Path.Combine(settings.WorkDirectory, $"capacity-{nodeCount}");
        var model = new SyntheticModel(1024);
        var superLinkSettings = new Dictionary<string, string>
        {
            ["SuperLink:HeartbeatInterval"] = "00:00:30",
            ["SuperLink:NodeLease"] = "00:01:30",
        };
        try
        {
            using var federation = await BenchFederation.StartAsync(directory, withGateway: false, superLinkSettings, ct);
            using var channels = new NodeChannels(federation.FleetAddress, nodeCount, NodesPerChannel);
            var fleet = new Fleet.FleetClient(channels.For(0));
            var control = new Control.ControlClient(channels.For(0));
            var initial = await BenchRun.UploadAsync(fleet, model, 0, BlobCaller.Operator, ct);
            var nodes = Enumerable.Range(0, nodeCount).Select(i => new SyntheticNode(new Fleet.FleetClient(channels.For(i)), $"bench-{i:D5}", 10)).ToList();
            var registering = System.Diagnostics.Stopwatch.StartNew();
            await Parallel.ForEachAsync(nodes, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = ct }, async (node, token) => await node.RegisterAsync(token));
            log($"{nodeCount} nodes registered in {registering.Elapsed.TotalSeconds:0.0} s");

            var latencies = new ConcurrentBag<double>();
            return await SyntheticNode.WhileServingAsync(nodes, (node, i, token) => node.ServeAsync((task, t) =>
                BenchRun.UploadAsync(node.Fleet, model, task.Round * 1_000_000 + i + 1, new BlobCaller(node.NodeId, task.RunId), t),
                FlowerCadence, latencies, token), async () =>
            {
                var runId = await BenchRun.SubmitAsync(control, BenchRun.Config(initial, Rounds, nodeCount, TimeSpan.FromMinutes(3)), ct);
                IReadOnlyList<RunEvent> events;
                try
                {
                    events = await BenchRun.WaitForCompletionAsync(control, runId, TimeSpan.FromMinutes(8), ct);
                }
                catch (Exception e) when (e is TimeoutException or InvalidOperationException)
                {
                    return new Level($"{nodeCount} nodes: run did not complete", e.Message);
                }
                var rounds = BenchRun.RoundTimings(events).Select(r => r.Total).ToList();
                var missed = events.Count(e => e.Kind is RunEventKind.NodeMissedDeadline or RunEventKind.ResultRejected);
                var failures = nodes.SelectMany(n => n.Failures).ToList();
                var sorted = latencies.Order().ToList();
                var p99 = Percentile(sorted, 0.99);
                var summary = $"{nodeCount} nodes: rounds [{string.Join(", ", rounds.Select(r => $"{r / 1000.0:0.0}"))}] s, " +
                    $"call p50 {Percentile(sorted, 0.5):0.0} ms p99 {p99:0} ms, SuperLink {ProcessMemory.Mib(ProcessMemory.PeakResidentBytes(federation.SuperLink.ProcessId))} peak";
                string? failure = missed > 0 ? $"{missed} node result(s) missed or rejected"
                    : failures.Count > 0 ? $"{failures.Count} failed call(s), first: {failures[0]}"
                    : p99 > FlowerCadence.PullInterval.TotalMilliseconds ? $"saturated: p99 call latency {p99 / 1000:0.0} s exceeds the {FlowerCadence.PullInterval.TotalSeconds:0} s pull interval (rounds still complete)"
                    : null;
                return new Level(summary, failure);
            }, ct);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
}
