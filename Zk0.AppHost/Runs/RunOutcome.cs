using Zk0.Federation.Protocol;

namespace Zk0.AppHost.Runs;

/// <summary>How a submitted run ended and where its metrics were written.</summary>
/// <param name="Lost">The SuperLink lost the run's state (Redis restarted without persistence); <see cref="Message"/> says so.</param>
public sealed record RunOutcome(string RunId, RunStatus Status, string? Message, string MetricsPath, bool Lost = false)
{
    public bool Completed => Status == RunStatus.Completed;
}
