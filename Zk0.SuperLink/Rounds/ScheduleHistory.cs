using Zk0.SuperLink.State;

namespace Zk0.SuperLink.Rounds;

/// <summary>
/// What the schedule decides from, read from the stored rounds: the server evaluation losses and each node's training
/// losses. Nothing is kept in memory, so a restarted SuperLink reads (and decides) the same.
/// </summary>
public sealed class ScheduleHistory(ILinkState state, string runId)
{
    /// <summary>The evaluation loss of rounds 1..<paramref name="lastRound"/> (index 0 is round 1); null where a round has none.</summary>
    public async Task<IReadOnlyList<double?>> EvaluationLossByRoundAsync(int lastRound, CancellationToken ct)
    {
        // Read together (one round trip, not one per round), in round order.
        var evaluations = await Task.WhenAll(Enumerable.Range(1, lastRound).Select(round => state.GetEvaluationAsync(runId, round, ct)));
        return evaluations.Select(e => e?.Loss).ToList();
    }

    /// <summary>The finite evaluation losses of the rounds before <paramref name="round"/>, in round order.</summary>
    public async Task<IReadOnlyList<double>> EvaluationLossesBeforeAsync(int round, CancellationToken ct) =>
        (await EvaluationLossByRoundAsync(round - 1, ct)).Where(l => l is { } loss && double.IsFinite(loss)).Select(l => l!.Value).ToList();

    /// <summary>
    /// Each node's reported training loss per round before <paramref name="round"/>, oldest first: from its first
    /// error-free result of each round with a finite <c>loss</c> metric.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<double>>> NodeLossesBeforeAsync(int round, CancellationToken ct)
    {
        var results = await Task.WhenAll(Enumerable.Range(1, round - 1).Select(earlier => state.GetResultsAsync(runId, earlier, 0, ct)));
        var losses = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (var roundResults in results)
        {
            foreach (var first in roundResults.GroupBy(r => r.NodeId, StringComparer.Ordinal).Select(g => g.First()))
            {
                if (first.Error.Length > 0 || !first.Metrics.TryGetValue("loss", out var loss) || !double.IsFinite(loss)) continue;
                if (!losses.TryGetValue(first.NodeId, out var list)) losses[first.NodeId] = list = [];
                list.Add(loss);
            }
        }
        return losses.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<double>)kv.Value, StringComparer.Ordinal);
    }
}
