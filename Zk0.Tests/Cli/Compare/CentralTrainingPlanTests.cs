using Zk0.Cli.Compare;

namespace Zk0.Tests.Cli.Compare;

public sealed class CentralTrainingPlanTests
{
    private static FederatedRun Run(params FederatedRound[] rounds) =>
        new("/run", "run", new Dictionary<string, string>(), [new RunNode(0, "local:/a", "a")], ["local:/a"], null, rounds, TimeSpan.Zero, "/run/checkpoints/final", []);

    [Fact]
    public void Each_round_becomes_a_segment_with_all_nodes_steps_at_that_rounds_learning_rate()
    {
        var plan = CentralTrainingPlan.For(Run(new(1, 20, 1e-3), new(2, 0, 9.0), new(3, 30, null)), configLearningRate: 5e-4);

        Assert.Equal([new TrainingSegment(1, 20, 1e-3), new TrainingSegment(3, 30, 5e-4)], plan.Segments);
        Assert.Equal(50, plan.TotalSteps);
    }

    [Fact]
    public void An_override_spreads_exactly_that_many_steps_over_the_rounds_in_proportion()
    {
        var plan = CentralTrainingPlan.For(Run(new(1, 10, null), new(2, 10, null), new(3, 20, null)), 1e-3, stepsOverride: 9);

        Assert.Equal(9, plan.TotalSteps);
        Assert.Equal([2, 2, 5], plan.Segments.Select(s => s.Steps));
    }

    [Fact]
    public void Rounds_left_without_steps_by_a_small_override_are_dropped()
    {
        var plan = CentralTrainingPlan.For(Run(new(1, 10, null), new(2, 10, null), new(3, 10, null)), 1e-3, stepsOverride: 1);

        Assert.Equal(1, plan.TotalSteps);
        Assert.Single(plan.Segments);
    }
}
