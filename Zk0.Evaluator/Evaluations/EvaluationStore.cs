using System.Collections.Concurrent;

namespace Zk0.Evaluator.Evaluations;

/// <summary>
/// The evaluations this Evaluator produced, for its HTTP API. The record of truth is the SuperLink's
/// (RecordEvaluation); this is a read-side copy, so losing it on restart loses nothing.
/// </summary>
public sealed class EvaluationStore
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<int, RoundEvaluation>> _runs = new(StringComparer.Ordinal);

    public void Add(RoundEvaluation evaluation) =>
        _runs.GetOrAdd(evaluation.RunId, _ => new())[evaluation.Round] = evaluation;

    public IReadOnlyList<RoundEvaluation>? ForRun(string runId) =>
        _runs.TryGetValue(runId, out var rounds) ? rounds.Values.OrderBy(r => r.Round).ToList() : null;

    public IReadOnlyList<string> RunIds => _runs.Keys.Order().ToList();
}
