using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Zk0.Tests.ServiceDefaults.Health;

public sealed class HealthEndpointTests
{
    private static async Task<(HttpStatusCode Health, HttpStatusCode Alive)> ProbeAsync(string environment, params string[] extraArgs)
    {
        // An empty content root: appsettings.json files copied into the test output must not leak in.
        var contentRoot = Directory.CreateTempSubdirectory("zk0-health-").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = environment,
            Args = extraArgs,
            ContentRootPath = contentRoot,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        builder.Services.AddHealthChecks().AddCheck("not-ready", () => HealthCheckResult.Unhealthy("warming up"));
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(address) };
        var health = (await http.GetAsync("/health")).StatusCode;
        var alive = (await http.GetAsync("/alive")).StatusCode;
        await app.StopAsync();
        Directory.Delete(contentRoot, recursive: true);
        return (health, alive);
    }

    [Fact]
    public async Task InDevelopmentHealthRunsEveryCheckAndAliveOnlyTheLiveOnes()
    {
        var (health, alive) = await ProbeAsync(Environments.Development);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health);
        Assert.Equal(HttpStatusCode.OK, alive);
    }

    [Fact]
    public async Task OutsideDevelopmentTheEndpointsAreNotMappedUnlessAskedFor()
    {
        var (health, alive) = await ProbeAsync(Environments.Production);
        var (exposedHealth, exposedAlive) = await ProbeAsync(Environments.Production, "--HealthChecks:ExposeEndpoints=true");

        Assert.Equal(HttpStatusCode.NotFound, health);
        Assert.Equal(HttpStatusCode.NotFound, alive);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, exposedHealth);
        Assert.Equal(HttpStatusCode.OK, exposedAlive);
    }
}
