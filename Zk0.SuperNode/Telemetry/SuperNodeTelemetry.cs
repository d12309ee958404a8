using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Zk0.SuperNode.Telemetry;

/// <summary>
/// The SuperNode's ActivitySource and Meter, named after the service (ServiceDefaults listens to that name). Per-task
/// metrics carry the run and the node id the SuperLink gave this node, not the round (the loss gauge shows the latest round).
/// </summary>
public static class SuperNodeTelemetry
{
    public const string Name = "Zk0.SuperNode";

    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> TasksCompleted = Meter.CreateCounter<long>("zk0.supernode.tasks", "{task}", "Tasks finished, by kind and outcome");

    public static readonly Histogram<double> TrainSeconds = Meter.CreateHistogram<double>("zk0.supernode.train.duration", "s", "Local training time per round");

    public static readonly Gauge<double> TrainLoss = Meter.CreateGauge<double>("zk0.supernode.train.loss", description: "Mean training loss of the latest local training");

    public static readonly Counter<long> BytesSent = Meter.CreateCounter<long>("zk0.supernode.bytes.sent", "By", "Blob bytes uploaded to the SuperLink (updates and initial models)");

    public static readonly Counter<long> BytesReceived = Meter.CreateCounter<long>("zk0.supernode.bytes.received", "By", "Blob bytes downloaded from the SuperLink (global models)");

    public static TagList RunAndNode(string runId, string nodeId) => new() { { "zk0.run_id", runId }, { "zk0.node_id", nodeId } };
}
