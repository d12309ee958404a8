using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Zk0.SuperNode.Telemetry;

/// <summary>The SuperNode's ActivitySource and Meter, named after the service (ServiceDefaults listens to that name).</summary>
public static class SuperNodeTelemetry
{
    public const string Name = "Zk0.SuperNode";

    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> TasksCompleted = Meter.CreateCounter<long>("zk0.supernode.tasks", description: "Tasks finished, by kind and outcome");

    public static readonly Histogram<double> TrainSeconds = Meter.CreateHistogram<double>("zk0.supernode.train.duration", "s", "Local training time per round");
}
