using Zk0.Federation.Normalization;
using Zk0.Federation.Runs;
using Zk0.SuperLink.State;

namespace Zk0.SuperLink.Rounds;

/// <summary>What the run normalizes with: its stats JSON for the tasks (null: each node its own dataset's) and a line for the log.</summary>
public sealed record NormalizationChoice(string? Json, string Summary);

/// <summary>
/// Gives a run one normalization: when round 1 starts, the statistics of its trainers' datasets are pooled (each dataset
/// once) and kept with the run; every train and evaluate task then carries them as <c>normalization-stats</c>, so each
/// node's update and the evaluator's scores are in the same coordinates. A run that sets <c>normalization-stats</c> itself
/// keeps it; when no selected trainer sent statistics, each node keeps normalizing with its own dataset's.
/// </summary>
public sealed class RunNormalization(ILinkState state)
{
    /// <exception cref="InvalidDataException">The trainers' datasets disagree on a feature's dimensions.</exception>
    public async Task<NormalizationChoice> ChooseAsync(string runId, int round, RunConfiguration config, IReadOnlyList<NodeRecord> selected, CancellationToken ct)
    {
        if (config.Normalization is not null) return new(null, round == 1 ? "normalization as the run config sets it" : "");
        // Only round 1 pools: a run whose first trainers sent none keeps each node's own for all its rounds.
        var kept = await state.GetRunNormalizationAsync(runId, ct);
        if (kept is not null || round > 1) return new(kept, "");
        var datasets = selected.Where(n => n.DatasetStats is not null).DistinctBy(n => n.DatasetId).ToList();
        if (datasets.Count == 0) return new(null, "no trainer sent dataset statistics, so each normalizes with its own dataset's");
        var pooled = PoolInDatasetOrder(datasets);
        var json = await state.KeepRunNormalizationAsync(runId, pooled.ToJson(), ct);
        var frames = pooled.Features.Count > 0 ? pooled.Features.Max(f => f.Count) : 0;
        return new(json, $"normalization pooled from {datasets.Count} dataset(s), {frames:N0} frames");
    }

    /// <summary>
    /// Pools in dataset-id order, as rounds fold results, whatever order the nodes registered in: floating-point sums
    /// depend on their order, and the same datasets must give the same statistics to the last bit (same seed, same model).
    /// </summary>
    public static NormalizationStatistics PoolInDatasetOrder(IEnumerable<NodeRecord> nodes) =>
        NormalizationStatistics.Pool(nodes.Where(n => n.DatasetStats is not null).OrderBy(n => n.DatasetId, StringComparer.Ordinal)
            .Select(n => n.DatasetStats!).ToList());

    public static IReadOnlyDictionary<string, string> Into(IReadOnlyDictionary<string, string> config, string? json) =>
        json is null ? config : new Dictionary<string, string>(config, StringComparer.Ordinal) { [RunConfigKeys.NormalizationStats] = json };
}
