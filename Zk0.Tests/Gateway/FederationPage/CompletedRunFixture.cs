using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.Gateway.FederationPage;

/// <summary>
/// A SuperLink with two trainers (node A adds 1 on 100 examples, node B adds 3 on 300) and an evaluator, a completed
/// two-round run on it, and the gateway in front without an operator token (the local demo).
/// </summary>
public sealed class CompletedRunFixture : IAsyncLifetime
{
    private readonly GarnetFixture _redis = new();

    public FederationScenario Scenario { get; private set; } = null!;
    public PageGatewayHost Gateway { get; private set; } = null!;
    public TestNode TrainerA { get; private set; } = null!;
    public TestNode TrainerB { get; private set; } = null!;
    public TestNode Evaluator { get; private set; } = null!;
    public string RunId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        Scenario = await FederationScenario.StartAsync(_redis);
        (TrainerA, TrainerB, Evaluator) = (Scenario.AddTrainer("ds-a", 1, 100), Scenario.AddTrainer("ds-b", 3, 300), Scenario.AddEvaluator());
        await Scenario.StartAsync(TrainerA, TrainerB, Evaluator);
        RunId = await Scenario.SubmitAsync("num-server-rounds=2 min-train-nodes=2 seed=7");
        await RunWaiter.CompletedAsync(() => Scenario.Host, RunId);
        Gateway = await PageGatewayHost.StartAsync(Scenario.Host.Address);
    }

    public async Task DisposeAsync()
    {
        if (Gateway is not null) await Gateway.DisposeAsync();
        if (Scenario is not null) await Scenario.DisposeAsync();
        await _redis.DisposeAsync();
    }
}
