using Microsoft.Extensions.Diagnostics.HealthChecks;
using Zk0.AppHost.Redis;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.AppHost.Redis;

public sealed class RedisPingHealthCheckTests(GarnetFixture garnet) : IClassFixture<GarnetFixture>
{
    private const string Remedy = "Start that server or use --redis embedded.";

    private static Task<HealthCheckResult> CheckAsync(string? connectionString) =>
        new RedisPingHealthCheck(() => connectionString, Remedy).CheckHealthAsync(new HealthCheckContext());

    [Fact]
    public async Task AServerThatAnswersPingIsHealthy()
    {
        var result = await CheckAsync(garnet.ConnectionString);

        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    [Fact]
    public async Task AServerThatDoesNotAnswerIsNamedWithTheRemedy()
    {
        var port = FreePort.Next();

        var result = await CheckAsync($"localhost:{port}");

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains($"localhost:{port}", result.Description);
        Assert.Contains("does not answer PING", result.Description);
        Assert.EndsWith(Remedy, result.Description);
    }

    [Theory]
    [InlineData(null, "not known yet")]
    [InlineData("localhost:6379,nonsense-option=1", "not valid")]
    public async Task AMissingOrMalformedConnectionStringIsReportedAsSuch(string? connectionString, string expected)
    {
        var result = await CheckAsync(connectionString);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains(expected, result.Description);
    }
}
