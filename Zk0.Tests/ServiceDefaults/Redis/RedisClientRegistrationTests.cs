using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;
using Zk0.AppHost.Hosting;
using Zk0.AppHost.Redis;

namespace Zk0.Tests.ServiceDefaults.Redis;

public sealed class RedisClientRegistrationTests : IDisposable
{
    private const string Password = "TestPassword1234567890ab";
    private readonly int _port = PortAllocator.GetFreePort();
    private readonly GarnetHost _garnet;

    public RedisClientRegistrationTests() => _garnet = new GarnetHost(_port, Password);

    public void Dispose() => _garnet.Dispose();

    private static IHost Build(Dictionary<string, string?> settings, Action<HostApplicationBuilder> register)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        register(builder);
        return builder.Build();
    }

    [Fact]
    public async Task TheConnectionStringNamedAfterTheResourceConnectsToARealServer()
    {
        using var host = Build(new() { ["ConnectionStrings:redis"] = $"localhost:{_port},password={Password}" },
            b => b.AddRedisClient("redis"));

        var redis = host.Services.GetRequiredService<IConnectionMultiplexer>();
        await redis.GetDatabase().StringSetAsync("zk0:test", "value");

        Assert.Equal("value", (string?)await redis.GetDatabase().StringGetAsync("zk0:test"));
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Entries["StackExchange.Redis"].Status);
    }

    [Fact]
    public async Task TheAspireSectionIsReadWhenNoConnectionStringIsGiven()
    {
        using var host = Build(new()
        {
            ["Aspire:StackExchange:Redis:ConnectionString"] = "localhost:1,password=wrong",
            ["Aspire:StackExchange:Redis:cache:ConnectionString"] = $"localhost:{_port},password={Password}",
        }, b => b.AddKeyedRedisClient("cache"));

        var redis = host.Services.GetRequiredKeyedService<IConnectionMultiplexer>("cache");

        await redis.GetDatabase().StringSetAsync("zk0:keyed", "from-the-named-section");
        Assert.Equal("from-the-named-section", (string?)await redis.GetDatabase().StringGetAsync("zk0:keyed"));
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Entries["StackExchange.Redis_cache"].Status);
    }

    [Fact]
    public void ConnectionStringsWinOverTheAspireSection()
    {
        using var host = Build(new()
        {
            ["Aspire:StackExchange:Redis:ConnectionString"] = "localhost:1",
            ["ConnectionStrings:redis"] = $"localhost:{_port},password={Password}",
        }, b => b.AddRedisClient("redis"));

        var redis = host.Services.GetRequiredService<IConnectionMultiplexer>();

        Assert.True(redis.IsConnected);
        Assert.Contains(redis.GetEndPoints(), e => e.ToString()!.EndsWith($":{_port}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnUnreachableServerDoesNotCrashTheServiceButIsReportedUnhealthy()
    {
        var closedPort = PortAllocator.GetFreePort();
        using var host = Build(new() { ["ConnectionStrings:redis"] = $"localhost:{closedPort},connectTimeout=500" },
            b => b.AddRedisClient("redis"));

        var redis = host.Services.GetRequiredService<IConnectionMultiplexer>();

        Assert.False(redis.IsConnected);
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["StackExchange.Redis"].Status);
    }

    [Fact]
    public void AMissingConnectionStringNamesTheKeysToSet()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build([], b => b.AddRedisClient("redis")));

        Assert.Contains("ConnectionStrings:redis", error.Message);
        Assert.Contains("Aspire:StackExchange:Redis:ConnectionString", error.Message);
    }
}
