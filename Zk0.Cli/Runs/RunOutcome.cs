using Zk0.Federation.Protocol;

namespace Zk0.Cli.Runs;

/// <summary>The exit code a run's outcome gives <c>zk0 run submit --stream</c>: only a completed run is a success.</summary>
public static class RunOutcome
{
    public const int Completed = 0;
    public const int Failed = 1;
    public const int Stopped = 3;
    public const int StillRunning = 5;

    public static int ExitCode(RunStatus status) => status switch
    {
        RunStatus.Completed => Completed,
        RunStatus.Failed => Failed,
        RunStatus.Stopped => Stopped,
        _ => StillRunning,
    };

    public static int ExitCode(RunEventKind terminal) => terminal switch
    {
        RunEventKind.RunCompleted => Completed,
        RunEventKind.RunStopped => Stopped,
        _ => Failed,
    };

    public static string Name(RunStatus status) => status switch
    {
        RunStatus.Pending => "pending",
        RunStatus.Running => "running",
        RunStatus.Completed => "completed",
        RunStatus.Failed => "failed",
        RunStatus.Stopped => "stopped",
        _ => "unknown",
    };
}
