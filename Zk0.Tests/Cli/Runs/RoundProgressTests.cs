using Zk0.Cli.Runs;
using Zk0.Federation.Protocol;

namespace Zk0.Tests.Cli.Runs;

public sealed class RoundProgressTests
{
    [Fact]
    public void ARoundCountsItsSelectedNodesAnswersFailuresAndFigures()
    {
        var round = new RoundProgress(2);
        foreach (var e in new[]
                 {
                     Event(RunEventKind.TaskAssigned, "n1", "train"),
                     Event(RunEventKind.TaskAssigned, "n2", "train"),
                     Event(RunEventKind.TaskAssigned, "n3", "train"),
                     Event(RunEventKind.ResultReceived, "n1", "", ("loss", 0.5)),
                     Event(RunEventKind.ResultRejected, "n2", "Update rejected: NaN"),
                     Event(RunEventKind.ModelCommitted, "", "", ("loss", 0.75)),
                     Event(RunEventKind.EvaluationRecorded, "", "", ("loss", 0.25), ("action_error", 0.125), ("success_rate", 0.5)),
                 })
            round.Apply(e);

        Assert.Equal(3, round.Selected.Count);
        Assert.Equal(2, round.Answered);
        Assert.Equal(0.5, round.Reported["n1"]);
        Assert.Contains("n2", round.Failed);
        Assert.Equal(0.75, round.TrainLoss);
        Assert.Equal((0.25, 0.125, 0.5), (round.EvalLoss, round.ActionError, round.SuccessRate));
        Assert.False(round.Completed);

        round.Apply(Event(RunEventKind.RoundCompleted));
        Assert.True(round.Completed);
    }

    [Fact]
    public void TheEvaluatorsTaskIsNotCountedAsATrainingNode()
    {
        var round = new RoundProgress(1);
        round.Apply(Event(RunEventKind.TaskAssigned, "evaluator-node", "evaluate"));

        Assert.Empty(round.Selected);
    }

    private static RunEvent Event(RunEventKind kind, string node = "", string message = "", params (string Key, double Value)[] metrics)
    {
        var e = new RunEvent { Kind = kind, Round = 2, NodeId = node, Message = message };
        foreach (var (key, value) in metrics) e.Metrics[key] = value;
        return e;
    }
}
