using Zk0.Federation.Protocol;

namespace Zk0.Gateway.FederationPage;

/// <summary>
/// One round: the nodes' training results by anonymous node id (no dataset ids or names), the weighted train metrics, and
/// the server evaluation when the Evaluator reported one. <c>FinishedUnixMs</c> is 0 while the round is in progress.
/// </summary>
public sealed record RoundView(
    int Round, long StartedUnixMs, long FinishedUnixMs, string ModelHash, IReadOnlyList<NodeTrainView> Train,
    IReadOnlyDictionary<string, double> TrainMetrics, EvaluationView? Eval, IReadOnlyList<string> MissingNodes)
{
    public static RoundView From(RoundRecord round) => new(
        round.Round, round.StartedUnixMs, round.FinishedUnixMs, round.ModelHash,
        round.Train.Select(NodeTrainView.From).ToList(), FiniteValues.Of(round.TrainMetrics),
        round.Eval is null ? null : EvaluationView.From(round.Eval), round.MissingNodes.ToList());
}
