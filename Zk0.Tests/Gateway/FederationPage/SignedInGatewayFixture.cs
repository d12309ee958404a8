using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.Gateway.FederationPage;

/// <summary>A SuperLink with no nodes, and the gateway in front of it asking for an operator token.</summary>
public sealed class SignedInGatewayFixture : IAsyncLifetime
{
    public const string OperatorToken = "page-test-operator-token";

    private readonly GarnetFixture _redis = new();

    public FederationScenario Scenario { get; private set; } = null!;
    public PageGatewayHost Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        Scenario = await FederationScenario.StartAsync(_redis);
        Gateway = await PageGatewayHost.StartAsync(Scenario.Host.Address, OperatorToken);
    }

    public async Task DisposeAsync()
    {
        if (Gateway is not null) await Gateway.DisposeAsync();
        if (Scenario is not null) await Scenario.DisposeAsync();
        await _redis.DisposeAsync();
    }
}
