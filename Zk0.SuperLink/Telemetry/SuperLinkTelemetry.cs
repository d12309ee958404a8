using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Zk0.SuperLink.Telemetry;

/// <summary>
/// The SuperLink's one ActivitySource and one Meter, both named after the service. Metrics are tagged with the run and,
/// where a node is involved, the node; never with the round, which would add a series per round: gauges show the latest
/// round's value and change from round to round instead.
/// </summary>
public static class SuperLinkTelemetry
{
    public const string Name = "Zk0.SuperLink";
    public const string RunIdTag = "zk0.run_id";
    public const string NodeIdTag = "zk0.node_id";
    public const string NodeRoleTag = "zk0.node_role";
    /// <summary>The Redis key prefix: several federations may share a Redis, a process or a dashboard.</summary>
    public const string FederationTag = "zk0.federation";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    private static readonly ConcurrentDictionary<(string Federation, string Role), int> OnlineNodes = new();

    public static readonly Counter<long> RoundsCompleted = Meter.CreateCounter<long>("zk0.superlink.rounds.completed", "{round}", "Rounds whose global model was committed and evaluated");
    public static readonly Counter<long> ResultsAccepted = Meter.CreateCounter<long>("zk0.superlink.results.accepted", "{result}", "Node results folded into a round");
    public static readonly Counter<long> ResultsRejected = Meter.CreateCounter<long>("zk0.superlink.results.rejected", "{result}", "Node results that could not be aggregated");
    public static readonly Counter<long> BlobBytesReceived = Meter.CreateCounter<long>("zk0.superlink.blobs.received", "By", "Verified blob bytes uploaded (by nodes: updates and initial models)");
    public static readonly Counter<long> BlobBytesSent = Meter.CreateCounter<long>("zk0.superlink.blobs.sent", "By", "Blob bytes downloaded (by nodes: global models)");
    public static readonly Counter<long> BlobsCollected = Meter.CreateCounter<long>("zk0.superlink.blobs.collected", "{blob}", "Blobs deleted because no run needs them any more");
    public static readonly Counter<long> BlobBytesCollected = Meter.CreateCounter<long>("zk0.superlink.blobs.collected.size", "By", "Bytes freed by blob collection");
    public static readonly Histogram<double> RoundDuration = Meter.CreateHistogram<double>("zk0.superlink.round.duration", "s", "Wall time of a round, from its start to its completion");
    public static readonly Gauge<double> TrainLoss = Meter.CreateGauge<double>("zk0.superlink.train.loss", description: "Training loss a node reported with its accepted update");
    public static readonly Gauge<double> EvalLoss = Meter.CreateGauge<double>("zk0.superlink.eval.loss", description: "Server-side evaluation loss of the round's global model");
    public static readonly ObservableGauge<int> NodesOnline = Meter.CreateObservableGauge("zk0.superlink.nodes.online", ObserveNodesOnline, "{node}", "Nodes with a live lease");

    public static KeyValuePair<string, object?> Run(string runId) => new(RunIdTag, runId);
    public static KeyValuePair<string, object?> Node(string nodeId) => new(NodeIdTag, nodeId);

    /// <summary>Adds blob traffic, tagged with the node and run the call named (operators' tools name neither).</summary>
    public static void AddBlobBytes(Counter<long> counter, long bytes, string nodeId, string runId)
    {
        var tags = new TagList();
        if (nodeId.Length > 0) tags.Add(NodeIdTag, nodeId);
        if (runId.Length > 0) tags.Add(RunIdTag, runId);
        counter.Add(bytes, tags);
    }

    /// <summary>Caches the count the nodes-online gauge reports: its callback runs on the exporter's thread and must not wait on Redis.</summary>
    public static void SetNodesOnline(string federation, string role, int count) => OnlineNodes[(federation, role)] = count;

    /// <summary>A stopped SuperLink no longer reports its federation's nodes.</summary>
    public static void ForgetNodesOnline(string federation)
    {
        foreach (var key in OnlineNodes.Keys.Where(k => k.Federation == federation)) OnlineNodes.TryRemove(key, out _);
    }

    private static IEnumerable<Measurement<int>> ObserveNodesOnline() =>
        OnlineNodes.Select(entry => new Measurement<int>(entry.Value, new(FederationTag, entry.Key.Federation), new(NodeRoleTag, entry.Key.Role)));
}
