using Zk0.Federation.Protocol;

namespace Zk0.AppHost.Runs;

/// <summary>The run resource's states as the dashboard shows them.</summary>
public static class RunStates
{
    public static readonly ResourceStateSnapshot Waiting = new("Waiting", KnownResourceStateStyles.Info);
    public static readonly ResourceStateSnapshot Idle = new("Idle", null);
    public static readonly ResourceStateSnapshot Running = new("Running", KnownResourceStateStyles.Success);

    public static ResourceStateSnapshot Of(RunStatus status) => status switch
    {
        RunStatus.Completed => new("Completed", KnownResourceStateStyles.Success),
        RunStatus.Stopped => new("Stopped", KnownResourceStateStyles.Warn),
        _ => Failed,
    };

    public static readonly ResourceStateSnapshot Failed = new("Failed", KnownResourceStateStyles.Error);
    public static readonly ResourceStateSnapshot Lost = new("Lost", KnownResourceStateStyles.Error);

    public static IReadOnlyList<string> Terminal { get; } = ["Completed", "Stopped", "Failed", "Lost"];
}
