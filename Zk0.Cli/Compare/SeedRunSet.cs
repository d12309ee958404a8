using Zk0.Federation.Runs;
using Zk0.Policy.Abstractions;

namespace Zk0.Cli.Compare;

/// <summary>
/// The federated runs of one comparison, one per seed: they must differ in their <c>seed</c> only (same config
/// otherwise, same nodes' datasets, same evaluation datasets and evaluation seed), or the spread over them would mix
/// seeds with settings.
/// </summary>
public static class SeedRunSet
{
    public const int DefaultSeeds = 3;

    public static void Check(IReadOnlyList<FederatedRun> runs, int expectedSeeds)
    {
        if (expectedSeeds < 1) throw new RunFolderException($"--seeds must be at least 1, got {expectedSeeds}.");
        if (runs.Count != expectedSeeds)
            throw new RunFolderException(
                $"Compare runs {expectedSeeds} seed(s) but got {runs.Count} run folder(s). Run the federation once per seed " +
                $"(run config 'seed'), pass each output folder with --run, and --seeds {runs.Count} if that many is meant " +
                "(a single seed gives no confidence interval).");

        var first = runs[0];
        var seeds = new HashSet<long>();
        foreach (var run in runs)
        {
            var seed = RunSettings.From(run.Config).Seed;
            if (!seeds.Add(seed))
                throw new RunFolderException($"Runs '{first.Folder}' and '{run.Folder}' have the same seed {seed}; every seed of the comparison must be a different one.");
            if (run == first) continue;
            // normalization-stats is pooled by the SuperLink from the nodes' datasets, compared below; each seed's central
            // training normalizes with its own run's.
            var key = first.Config.Keys.Union(run.Config.Keys)
                .Where(k => k != RunSettings.SeedKey && k != RunConfigKeys.NormalizationStats)
                .FirstOrDefault(k => first.Config.GetValueOrDefault(k) != run.Config.GetValueOrDefault(k));
            if (key is not null)
                throw new RunFolderException(
                    $"Run '{run.Folder}' has '{key}' = '{run.Config.GetValueOrDefault(key) ?? "(unset)"}' but '{first.Folder}' has " +
                    $"'{first.Config.GetValueOrDefault(key) ?? "(unset)"}'; the runs of a comparison may differ in their seed only.");
            Same(first, run, "nodes' datasets", r => r.Nodes.Select(n => n.DatasetUri).Order(StringComparer.Ordinal));
            Same(first, run, "eval_datasets", r => r.EvalDatasets);
            Same(first, run, "unseen_eval_datasets", r => r.UnseenEvalDatasets);
            Same(first, run, "evaluation seed", r => [r.EvaluationSeed?.ToString() ?? "default"]);
        }
    }

    private static void Same(FederatedRun first, FederatedRun run, string what, Func<FederatedRun, IEnumerable<string>> select)
    {
        if (!select(first).SequenceEqual(select(run)))
            throw new RunFolderException($"Runs '{first.Folder}' and '{run.Folder}' differ in their {what}; the runs of a comparison may differ in their seed only.");
    }
}
