using Zk0.Federation.Protocol;

namespace Zk0.Cli.Runs;

/// <summary>What the run's events told about one round so far: who was asked, who answered, the losses and the server eval.</summary>
public sealed class RoundProgress(int round)
{
    public int Round { get; } = round;
    public HashSet<string> Selected { get; } = [];
    public Dictionary<string, double?> Reported { get; } = [];
    public HashSet<string> Failed { get; } = [];
    public double? TrainLoss { get; set; }
    public double? EvalLoss { get; set; }
    public double? ActionError { get; set; }
    public double? SuccessRate { get; set; }
    public bool Completed { get; set; }

    public int Answered => Reported.Count + Failed.Count;

    /// <summary>Folds one event of this round in.</summary>
    public void Apply(RunEvent e)
    {
        switch (e.Kind)
        {
            case RunEventKind.TaskAssigned when e.NodeId.Length > 0 && e.Message == "train":
                Selected.Add(e.NodeId);
                break;
            case RunEventKind.ResultReceived:
                Reported[e.NodeId] = e.Metrics.TryGetValue("loss", out var loss) ? loss : null;
                break;
            case RunEventKind.ResultRejected or RunEventKind.NodeMissedDeadline:
                Failed.Add(e.NodeId);
                break;
            case RunEventKind.ModelCommitted:
                TrainLoss = e.Metrics.TryGetValue("loss", out var trainLoss) ? trainLoss : TrainLoss;
                break;
            case RunEventKind.EvaluationRecorded:
                EvalLoss = e.Metrics.TryGetValue("loss", out var evalLoss) ? evalLoss : EvalLoss;
                ActionError = e.Metrics.TryGetValue("action_error", out var error) ? error : ActionError;
                SuccessRate = e.Metrics.TryGetValue("success_rate", out var success) ? success : SuccessRate;
                break;
            case RunEventKind.RoundCompleted:
                Completed = true;
                break;
        }
    }
}
