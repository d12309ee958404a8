using Zk0.Federation.Protocol;

namespace Zk0.Gateway.FederationPage;

/// <summary>The server evaluation of a round's global model: overall loss and metrics (action_error, success_rate, ...).</summary>
public sealed record EvaluationView(double? Loss, IReadOnlyDictionary<string, double> Metrics, long RecordedUnixMs)
{
    public static EvaluationView From(Evaluation eval) => new(FiniteValues.Of(eval.Loss), FiniteValues.Of(eval.Metrics), eval.RecordedUnixMs);
}
