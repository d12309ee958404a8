using System.Collections.Concurrent;
using System.Diagnostics;
using Zk0.Cli.Drill.Nodes;
using Zk0.Cli.Drill.Runs;
using Zk0.Cli.Simulation;
using Zk0.Federation.Blobs;
using Zk0.Federation.Protocol;

namespace Zk0.Cli.Drill.Soak;

/// <summary>
/// A long run of continuous rounds: <c>nodes</c> synthetic trainers (in this process, real gRPC through the gateway
/// process, a tiny model) answer every round; every few seconds one of them crashes (stops calling, mid-round or not)
/// and a new one joins. Records rounds, node call errors, the SuperLink's resident memory and the nodes' call latency.
/// </summary>
public sealed class SoakRun(int nodes, TimeSpan duration, int seed, string directory)
{
    private const long ModelParameters = 10_000;
    private const int NodesPerChannel = 10;
    private static readonly TimeSpan ChurnInterval = TimeSpan.FromSeconds(3);
    /// <summary>Short polls (not long polls) so that every recorded latency is a call's own time.</summary>
    private static readonly NodeCadence Cadence = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

    public async Task<SoakFigures> RunAsync(Action<string> log, CancellationToken ct)
    {
        using var federation = await BenchFederation.StartAsync(directory, new FederationLayout(true, DrillSettings.SuperLinkSettings), ct);
        using var channels = new NodeChannels(federation.FleetAddress, nodes, NodesPerChannel);
        using var operatorEndpoints = new SuperLinkEndpoints([federation.FleetAddress]);
        var model = new SyntheticModel(ModelParameters);
        var latencies = new ConcurrentBag<double>();
        var all = new List<SyntheticNode>();
        var serving = new List<(SyntheticNode Node, CancellationTokenSource Life, Task Loop)>();

        async Task JoinAsync(int index)
        {
            var node = new SyntheticNode(new Fleet.FleetClient(channels.For(index % nodes)), $"soak-{index:D5}", 100 + index % 50);
            await node.RegisterAsync(ct);
            var life = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var loop = node.ServeAsync((task, t) => BenchRun.UploadAsync(node.Fleet, model, 1 + (task.Round * 7919 + index) % 1000, new BlobCaller(node.NodeId, task.RunId), t),
                Cadence, latencies, life.Token);
            all.Add(node);
            serving.Add((node, life, loop));
        }

        for (var i = 0; i < nodes; i++) await JoinAsync(i);
        log($"{nodes} nodes registered through the gateway at {federation.FleetAddress}");
        var initial = await BenchRun.UploadAsync(operatorEndpoints.Fleet, model, 0, BlobCaller.Operator, ct);
        var config = DrillRunConfig.Create(seed, initial, serverEval: false, minTrainNodes: nodes / 2, TimeSpan.FromSeconds(30), rounds: 100_000);
        var runId = await BenchRun.SubmitAsync(operatorEndpoints.Control, config, ct);
        var rounds = 0;
        var runErrors = new ConcurrentQueue<string>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var follow = RunFollower.FollowAsync(new SuperLinkEndpoints([federation.FleetAddress]), runId, e =>
        {
            if (e.Kind == RunEventKind.RoundCompleted) Interlocked.Increment(ref rounds);
            if (e.Kind is RunEventKind.RunFailed) runErrors.Enqueue($"run failed: {e.Message}");
        }, duration + TimeSpan.FromMinutes(2), stop.Token);

        var superLink = federation.SuperLink.ProcessId;
        while (Volatile.Read(ref rounds) == 0 && !follow.IsCompleted) await Task.Delay(100, ct);
        var rssStart = ProcessMemory.CurrentResidentBytes(superLink);
        var rssMiddle = 0L;
        var churn = new Random(seed);
        var crashed = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration && !follow.IsCompleted)
        {
            await Task.Delay(ChurnInterval, ct);
            if (rssMiddle == 0 && watch.Elapsed >= duration / 2) rssMiddle = ProcessMemory.CurrentResidentBytes(superLink);
            var victim = churn.Next(serving.Count);
            await serving[victim].Life.CancelAsync();
            await serving[victim].Loop;
            serving.RemoveAt(victim);
            crashed++;
            await JoinAsync(all.Count);
            if (watch.Elapsed.TotalSeconds % 60 < ChurnInterval.TotalSeconds) log($"{watch.Elapsed.TotalMinutes:0} min: {Volatile.Read(ref rounds)} rounds, {crashed} crashed/joined");
        }
        var rssEnd = ProcessMemory.CurrentResidentBytes(superLink);
        await operatorEndpoints.Control.StopRunAsync(new StopRunRequest { RunId = runId, Reason = "soak finished" }, cancellationToken: ct);
        try
        {
            await follow;
        }
        catch (DrillFailedException e)
        {
            runErrors.Enqueue(e.Message);
        }
        foreach (var (_, life, loop) in serving)
        {
            await life.CancelAsync();
            await loop;
        }
        var sorted = latencies.Order().ToArray();
        return new SoakFigures(nodes, watch.Elapsed, rounds, crashed, crashed, [.. runErrors, .. all.SelectMany(n => n.Failures)], rssStart, rssMiddle == 0 ? rssEnd : rssMiddle, rssEnd,
            Percentile(sorted, 0.5), Percentile(sorted, 0.99), sorted.Length);
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[(int)Math.Min(sorted.Length - 1, p * sorted.Length)];
}
