using Zk0.Federation.Protocol;

namespace Zk0.AppHost.Runs;

/// <summary>How a submitted run ended and where its metrics were written.</summary>
public sealed record RunOutcome(string RunId, RunStatus Status, string? Message, string MetricsPath)
{
    public bool Completed => Status == RunStatus.Completed;
}
