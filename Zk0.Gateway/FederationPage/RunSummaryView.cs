using Zk0.Federation.Protocol;

namespace Zk0.Gateway.FederationPage;

/// <summary>A run as the page lists it; <c>Status</c> is pending, running, completed, failed or stopped.</summary>
public sealed record RunSummaryView(
    string RunId, string Status, int CompletedRounds, int NumServerRounds, IReadOnlyDictionary<string, string> Config,
    long CreatedUnixMs, long FinishedUnixMs, string GlobalModelHash, string Message)
{
    public static RunSummaryView From(RunSummary run) => new(
        run.RunId, StatusName(run.Status), run.CompletedRounds, run.NumServerRounds,
        run.Config.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal),
        run.CreatedUnixMs, run.FinishedUnixMs, run.GlobalModelHash, run.Message);

    public static string StatusName(RunStatus status) => status switch
    {
        RunStatus.Pending => "pending",
        RunStatus.Running => "running",
        RunStatus.Completed => "completed",
        RunStatus.Failed => "failed",
        RunStatus.Stopped => "stopped",
        _ => "unknown",
    };
}
