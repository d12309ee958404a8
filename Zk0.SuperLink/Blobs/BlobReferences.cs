using Zk0.SuperLink.State;

namespace Zk0.SuperLink.Blobs;

/// <summary>
/// The blobs some run still needs, read from the link state: for an unfinished run its initial model (or its configured
/// one), the latest committed round models, the open round's base model and every update reported for it; for a finished
/// run within retention its initial and final models. Everything else is collectable.
/// </summary>
public static class BlobReferences
{
    public static async Task<HashSet<string>> ReadAsync(ILinkState state, BlobCollectionOptions options, long nowUnixMs, CancellationToken ct)
    {
        var needed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var run in await state.ListRunsAsync(ct))
        {
            if (run.IsTerminal && nowUnixMs - run.FinishedUnixMs >= options.FinishedRunRetention.TotalMilliseconds) continue;
            Add(needed, run.InitialModelHash);
            Add(needed, run.GlobalModelHash);
            if (run.IsTerminal) continue;
            if (run.Config.TryGetValue(Federation.Runs.RunConfigKeys.InitialModel, out var configured)) Add(needed, configured);
            if (run.InitialModelHash.Length == 0)
                foreach (var result in await state.GetResultsAsync(run.RunId, 0, 0, ct)) Add(needed, result.UpdateHash);
            var firstKept = Math.Max(1, run.CompletedRounds - options.KeepRoundModels + 1);
            for (var number = firstKept; number <= run.CompletedRounds + 1; number++)
            {
                if (await state.GetRoundAsync(run.RunId, number, ct) is not { } round) continue;
                Add(needed, round.BaseModelHash);
                Add(needed, round.ModelHash);
                if (round.Phase == RoundPhase.Training)
                    foreach (var result in await state.GetResultsAsync(run.RunId, number, 0, ct)) Add(needed, result.UpdateHash);
            }
        }
        return needed;
    }

    private static void Add(HashSet<string> needed, string hash)
    {
        if (hash.Length > 0) needed.Add(hash);
    }
}
