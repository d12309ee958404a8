using Zk0.Federation.Protocol;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.Federation.Strategies;

public sealed class ServerStateAcrossRestartTests(GarnetFixture redis) : IClassFixture<GarnetFixture>
{
    [Fact]
    public async Task FedAdamMomentsSurviveASuperLinkRestart()
    {
        await using var scenario = await FederationScenario.StartAsync(redis);
        var node = scenario.AddTrainer("ds-a", 1, 100);
        // The node holds back once it has its round-1 task, so the SuperLink goes down with the run in the middle
        // (nodes long-poll: released any later, the node would have finished the run already).
        var allow = false;
        node.Active = () => allow || !node.TrainConfigs.Any(t => t.Round == 1);
        await scenario.StartAsync(node, scenario.AddEvaluator());
        var runId = await scenario.SubmitAsync("num-server-rounds=3 strategy=fedadam server-learning-rate=1 beta-1=0.5 beta-2=0.5 tau=1e-12");

        var afterRound1 = await RunWaiter.WaitAsync(() => scenario.Host, runId, r => r.Summary.CompletedRounds >= 1, TimeSpan.FromSeconds(60));
        await scenario.RestartSuperLinkAsync();
        allow = true;
        var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId);

        // Every round the node adds Δ = 1 to the global weight (init 1.0). With β₁ = β₂ = 0.5, m = v after each round:
        // 0.5, 0.75, 0.875, and the step is η_t·√v with η_t = 1/√(1 − 0.5^(t+1)):
        // t=1: 1.1547005·0.7071068 = 0.8164966; t=2: 1.0690450·0.8660254 = 0.9258201; t=3: 1.0327956·0.9354143 = 0.9660918.
        // A reset optimizer after the restart would repeat the first-round step (0.8164966) instead.
        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        Assert.True(afterRound1.Summary.CompletedRounds < 3);
        var final = TinyModel.Load(Path.Combine(scenario.BlobDirectory, run.Summary.GlobalModelHash[..2], run.Summary.GlobalModelHash));
        Assert.All(final.Weight, w => Assert.Equal(1 + 0.8164966f + 0.9258201f + 0.9660918f, w, 4));
        Assert.True(Directory.Exists(Path.Combine(scenario.BlobDirectory, "runs", runId, "strategy-state", "fedadam")));
    }
}
