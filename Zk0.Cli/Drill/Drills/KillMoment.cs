using Zk0.Federation.Protocol;

namespace Zk0.Cli.Drill.Drills;

/// <summary>Where in a run a kill lands: each phase is recognised from the run's events.</summary>
public enum RunPhase
{
    /// <summary>After the run started, while its initial model is being adopted and round 1 set up.</summary>
    Init,
    /// <summary>After a round's tasks were assigned: nodes are downloading, uploading and pushing.</summary>
    Upload,
    /// <summary>After a round's last result arrived: the SuperLink folds the updates and writes the model.</summary>
    Aggregation,
    /// <summary>After a round's model was committed, before (or while) its evaluation is recorded.</summary>
    Evaluation,
    /// <summary>A plain time offset from the run's submission, wherever the run then is.</summary>
    Anytime,
}

/// <summary>One kill: <see cref="Delay"/> after the event that marks <see cref="Phase"/> in <see cref="Round"/>.</summary>
public sealed record KillMoment(RunPhase Phase, int Round, TimeSpan Delay)
{
    public override string ToString() => Phase switch
    {
        RunPhase.Init => $"init +{Delay.TotalMilliseconds:0} ms",
        RunPhase.Anytime => $"{Delay.TotalMilliseconds:0} ms after submit",
        _ => $"{Phase.ToString().ToLowerInvariant()} r{Round} +{Delay.TotalMilliseconds:0} ms",
    };

    /// <summary>
    /// Whether <paramref name="e"/> is the event this moment waits for (the submission itself for <see cref="RunPhase.Anytime"/>,
    /// which the drill starts timing at once); <paramref name="assigned"/> and <paramref name="results"/> are the counts of
    /// the round's task assignments and results so far, this event included.
    /// </summary>
    public bool IsTriggeredBy(RunEvent e, int assigned, int results) => Phase switch
    {
        RunPhase.Init or RunPhase.Anytime => e.Kind == RunEventKind.RunStarted,
        RunPhase.Upload => e.Kind == RunEventKind.TaskAssigned && e.Round == Round && e.Message == "train" && assigned == 1,
        RunPhase.Aggregation => e.Kind == RunEventKind.ResultReceived && e.Round == Round && results == assigned,
        RunPhase.Evaluation => e.Kind == RunEventKind.ModelCommitted && e.Round == Round,
        _ => false,
    };
}
