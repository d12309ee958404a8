using Zk0.Federation.Blobs;
using Zk0.Federation.Protocol;
using Zk0.Federation.Safetensors;
using Zk0.Cli.Simulation;

namespace Zk0.Cli.Bench.Federation;

/// <summary>
/// The SuperLink's peak resident memory during one round in which every node uploads a distinct full-size update
/// through the real Fleet API into the real blob store and the round is folded and committed; the same round with
/// more nodes must not need more memory (updates stream to disk and are folded one at a time).
/// </summary>
public sealed class SuperLinkMemoryBench : IFederationBench
{
    public string Name => "memory";

    public async Task<IReadOnlyList<BenchRow>> RunAsync(FederationBenchSettings settings, Action<string> log, CancellationToken ct)
    {
        var model = new SyntheticModel(settings.MemoryParameters);
        var peaks = new List<(int Nodes, long Before, long Peak, TimeSpan Round)>();
        foreach (var nodes in settings.MemoryNodeCounts)
        {
            var measured = await MeasureAsync(settings, model, nodes, log, ct);
            log($"{nodes} nodes: SuperLink {ProcessMemory.Mib(measured.Before)} before the round, peak {ProcessMemory.Mib(measured.Peak)}; round {measured.Round.TotalSeconds:0.0} s");
            peaks.Add((nodes, measured.Before, measured.Peak, measured.Round));
        }
        var (fewest, most) = (peaks[0], peaks[^1]);
        var updateMib = ProcessMemory.Mib(settings.MemoryParameters * 4);
        return
        [
            BenchRow.Compare($"SuperLink peak RSS, {most.Nodes} vs {fewest.Nodes} nodes × {settings.MemoryParameters / 1e6:0.#} M params", "≤ 1.10×",
                (double)most.Peak / fewest.Peak, v => v <= 1.10, "0.00×",
                string.Join("; ", peaks.Select(p => $"{p.Nodes} nodes: peak {ProcessMemory.Mib(p.Peak)} (idle {ProcessMemory.Mib(p.Before)}, round {p.Round.TotalSeconds:0} s)")) + $"; one update is {updateMib}"),
        ];
    }

    private static async Task<(long Before, long Peak, TimeSpan Round)> MeasureAsync(FederationBenchSettings settings, SyntheticModel model, int nodeCount, Action<string> log, CancellationToken ct)
    {
        var directory = Path.Combine(settings.WorkDirectory, $"memory-{nodeCount}");
        try
        {
            using var federation = await BenchFederation.StartAsync(directory, withGateway: false, null, ct);
            using var channel = BenchFederation.Channel(federation.FleetAddress);
            var fleet = new Fleet.FleetClient(channel);
            var control = new Control.ControlClient(channel);
            var initial = await BenchRun.UploadAsync(fleet, model, 0, BlobCaller.Operator, ct);
            // One connection per node, as real nodes have: the SuperLink sees nodeCount HTTP/2 connections, each with its own windows.
            using var nodeChannels = new NodeChannels(federation.FleetAddress, nodeCount, nodesPerChannel: 1);
            var nodes = Enumerable.Range(0, nodeCount).Select(i => new SyntheticNode(new Fleet.FleetClient(nodeChannels.For(i)), $"bench-{i + 1:D4}", 100)).ToList();
            foreach (var node in nodes) await node.RegisterAsync(ct);

            var superLink = federation.SuperLink.ProcessId;
            var before = ProcessMemory.CurrentResidentBytes(superLink);
            ProcessMemory.ResetPeak(superLink);
            log($"{nodeCount} nodes registered; each uploads a distinct {ProcessMemory.Mib(model.Parameters * 4)} update");
            var cadence = new NodeCadence(TimeSpan.Zero, TimeSpan.FromSeconds(5));
            return await SyntheticNode.WhileServingAsync(nodes, (node, i, token) => node.ServeAsync(
                (task, t) => BenchRun.UploadAsync(node.Fleet, model, i + 1, new BlobCaller(node.NodeId, task.RunId), t), cadence, null, token), async () =>
            {
                var started = DateTime.UtcNow;
                var runId = await BenchRun.SubmitAsync(control, BenchRun.Config(initial, 1, nodeCount, TimeSpan.FromMinutes(30)), ct);
                await BenchRun.WaitForCompletionAsync(control, runId, TimeSpan.FromMinutes(30), ct);
                SyntheticNode.ThrowIfAnyFailed(nodes);
                return (before, ProcessMemory.PeakResidentBytes(superLink), DateTime.UtcNow - started);
            }, ct);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
