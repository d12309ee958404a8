using Zk0.Cli.Compare;
using Zk0.Federation.Runs;
using Zk0.Policy.Abstractions;

namespace Zk0.Tests.Cli.Compare;

public sealed class CentralOptimizerTests
{
    private static CentralOptimizer Of(string assignments)
    {
        var config = RunConfiguration.ParseAssignments(assignments);
        return CentralOptimizer.Of(RunSettings.From(config), config);
    }

    [Fact]
    public void Central_training_uses_the_nodes_AdamW_at_their_rates()
    {
        var optimizer = Of("learning-rate=0.002");

        Assert.Equal(LocalOptimizer.AdamW, optimizer.Optimizer);
        Assert.Equal(1, optimizer.LearningRateFactor);
    }

    [Fact]
    public void Sgd_nodes_under_FedAdam_stand_for_AdamW_at_the_servers_step_per_local_step()
    {
        // η / local-steps = 0.025 / 25 = 0.001 per step, against the nodes' 0.01: a factor of 0.1 on every round's rate.
        var optimizer = Of("local-optimizer=sgd learning-rate=0.01 strategy=fedadam server-learning-rate=0.025 local-steps=25");
        var run = new FederatedRun("/run", "run", new Dictionary<string, string>(), [new RunNode(0, "local:/a", "a")], ["local:/a"], null,
            [new FederatedRound(1, 100, 0.01), new FederatedRound(2, 100, 0.005)], TimeSpan.Zero, "/run/checkpoints/final", []);

        var plan = CentralTrainingPlan.For(run, 0.01, optimizer: optimizer);

        Assert.Equal(LocalOptimizer.AdamW, plan.Optimizer.Optimizer);
        Assert.Equal([0.001, 0.0005], plan.Segments.Select(s => Math.Round(s.LearningRate, 12)));
        Assert.Contains("server-learning-rate / local-steps = 0.001", plan.Describe());
    }

    [Fact]
    public void Sgd_nodes_under_FedAvg_stand_for_central_sgd()
    {
        var optimizer = Of("local-optimizer=sgd learning-rate=0.01");

        Assert.Equal(LocalOptimizer.Sgd, optimizer.Optimizer);
        Assert.Equal(1, optimizer.LearningRateFactor);
    }
}
