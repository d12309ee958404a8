using Zk0.Cli.Drill.Drills;
using Zk0.Federation.Protocol;

namespace Zk0.Tests.Cli.Drill.Drills;

public sealed class KillMomentTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(10);

    [Fact]
    public void Init_and_time_offsets_start_at_the_run_start()
    {
        var started = new RunEvent { Kind = RunEventKind.RunStarted };

        Assert.True(new KillMoment(RunPhase.Init, 0, Delay).IsTriggeredBy(started, 0, 0));
        Assert.True(new KillMoment(RunPhase.Anytime, 0, Delay).IsTriggeredBy(started, 0, 0));
        Assert.False(new KillMoment(RunPhase.Init, 0, Delay).IsTriggeredBy(new RunEvent { Kind = RunEventKind.RoundStarted, Round = 1 }, 0, 0));
    }

    [Fact]
    public void Uploads_start_at_the_rounds_first_train_assignment()
    {
        var moment = new KillMoment(RunPhase.Upload, 2, Delay);
        var first = new RunEvent { Kind = RunEventKind.TaskAssigned, Round = 2, Message = "train" };

        Assert.True(moment.IsTriggeredBy(first, assigned: 1, results: 0));
        Assert.False(moment.IsTriggeredBy(first, assigned: 2, results: 0));
        Assert.False(moment.IsTriggeredBy(new RunEvent { Kind = RunEventKind.TaskAssigned, Round = 1, Message = "train" }, assigned: 1, results: 0));
        Assert.False(moment.IsTriggeredBy(new RunEvent { Kind = RunEventKind.TaskAssigned, Round = 2, Message = "init" }, assigned: 1, results: 0));
    }

    [Fact]
    public void Aggregation_starts_with_the_rounds_last_result_and_evaluation_with_its_commit()
    {
        var aggregation = new KillMoment(RunPhase.Aggregation, 3, Delay);
        var result = new RunEvent { Kind = RunEventKind.ResultReceived, Round = 3 };
        var evaluation = new KillMoment(RunPhase.Evaluation, 3, Delay);

        Assert.False(aggregation.IsTriggeredBy(result, assigned: 3, results: 2));
        Assert.True(aggregation.IsTriggeredBy(result, assigned: 3, results: 3));
        Assert.True(evaluation.IsTriggeredBy(new RunEvent { Kind = RunEventKind.ModelCommitted, Round = 3 }, 3, 3));
        Assert.False(evaluation.IsTriggeredBy(new RunEvent { Kind = RunEventKind.ModelCommitted, Round = 2 }, 3, 3));
    }

    [Fact]
    public void A_moment_describes_itself_for_the_table()
    {
        Assert.Equal("aggregation r3 +12 ms", new KillMoment(RunPhase.Aggregation, 3, TimeSpan.FromMilliseconds(12)).ToString());
        Assert.Equal("1500 ms after submit", new KillMoment(RunPhase.Anytime, 0, TimeSpan.FromMilliseconds(1500)).ToString());
    }
}
