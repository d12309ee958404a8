using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Zk0.SuperLink.Telemetry;

/// <summary>The SuperLink's one ActivitySource and one Meter, both named after the service.</summary>
public static class SuperLinkTelemetry
{
    public const string Name = "Zk0.SuperLink";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> RoundsCompleted = Meter.CreateCounter<long>("zk0.superlink.rounds.completed", description: "Rounds whose global model was committed and evaluated");
    public static readonly Counter<long> ResultsAccepted = Meter.CreateCounter<long>("zk0.superlink.results.accepted", description: "Node results folded into a round");
    public static readonly Counter<long> ResultsRejected = Meter.CreateCounter<long>("zk0.superlink.results.rejected", description: "Node results that could not be aggregated");
    public static readonly Counter<long> BlobBytesReceived = Meter.CreateCounter<long>("zk0.superlink.blobs.received", unit: "By", description: "Verified blob bytes uploaded");
    public static readonly Histogram<double> RoundDuration = Meter.CreateHistogram<double>("zk0.superlink.round.duration", unit: "s", description: "Wall time of a round");
}
