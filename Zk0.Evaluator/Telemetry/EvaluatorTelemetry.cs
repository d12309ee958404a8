using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Zk0.Evaluator.Telemetry;

/// <summary>The Evaluator's ActivitySource and Meter, named after the service.</summary>
public static class EvaluatorTelemetry
{
    public const string Name = "Zk0.Evaluator";

    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Histogram<double> EvaluationSeconds = Meter.CreateHistogram<double>("zk0.evaluator.duration", "s", "Time to score one global model");
}
