using Zk0.Federation.Blobs;
using Zk0.Federation.Protocol;

namespace Zk0.Evaluator.Checkpoints;

/// <summary>A global model a run committed: the round that committed it and the hash of its blob.</summary>
public sealed record CommittedModel(string RunId, int Round, string ModelHash)
{
    /// <summary>Round <paramref name="round"/>'s committed model, or the latest committed one when no round is asked for.</summary>
    /// <exception cref="CheckpointUnavailableException">404 for a round the run does not have, 409 for one not committed (yet).</exception>
    public static CommittedModel Of(RunDetail run, int? round)
    {
        var runId = run.Summary.RunId;
        var status = run.Summary.Status.ToString().ToLowerInvariant();
        var committed = run.Rounds.Where(r => ContentHash.IsWellFormed(r.ModelHash)).OrderBy(r => r.Round).ToList();
        if (round is not { } asked)
        {
            var latest = committed.LastOrDefault()
                ?? throw new CheckpointUnavailableException(StatusCodes.Status409Conflict,
                    $"Run '{runId}' has not committed a global model yet (status {status}); pull it once its first round has completed.");
            return new CommittedModel(runId, latest.Round, latest.ModelHash);
        }
        var rounds = run.Summary.NumServerRounds;
        if (asked < 1 || asked > rounds)
            throw new CheckpointUnavailableException(StatusCodes.Status404NotFound,
                $"Run '{runId}' has rounds 1 to {rounds}; there is no round {asked}.");
        var record = committed.FirstOrDefault(r => r.Round == asked)
            ?? throw new CheckpointUnavailableException(StatusCodes.Status409Conflict,
                $"Run '{runId}' has not committed round {asked} (status {status}; committed rounds: {Describe(committed)}); pass one of those, or no round for the latest.");
        return new CommittedModel(runId, record.Round, record.ModelHash);
    }

    private static string Describe(IReadOnlyList<RoundRecord> committed) =>
        committed.Count == 0 ? "none" : string.Join(", ", committed.Select(r => r.Round));
}
