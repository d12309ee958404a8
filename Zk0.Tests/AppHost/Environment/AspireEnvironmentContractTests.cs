using Zk0.AppHost;
using Zk0.AppHost.Environment;
using Zk0.AppHost.Hosting;
using Zk0.AppHost.Model;
using Zk0.AppHost.Redis;

namespace Zk0.Tests.AppHost.Environment;

/// <summary>
/// Golden test of the environment the runner gives each process of the Zk0 graph against the
/// Aspire contract (docs/aspire-contract.md §2, §7): any drift from what an Aspire AppHost
/// injects shows up here.
/// </summary>
public sealed class AspireEnvironmentContractTests
{
    private static readonly string[] EveryProject =
    [
        "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT",
        "OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES", "OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES",
        "OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY", "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES",
        "OTEL_BLRP_SCHEDULE_DELAY", "OTEL_BSP_SCHEDULE_DELAY", "OTEL_METRIC_EXPORT_INTERVAL", "OTEL_TRACES_SAMPLER",
        "OTEL_METRICS_EXEMPLAR_FILTER", "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT",
        "OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_DISABLE_URL_QUERY_REDACTION",
        "OTEL_DOTNET_EXPERIMENTAL_HTTPCLIENT_DISABLE_URL_QUERY_REDACTION",
        "DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION", "LOGGING__CONSOLE__FORMATTERNAME",
    ];

    private static readonly Dictionary<string, string[]> References = new()
    {
        ["superlink"] = ["ConnectionStrings__redis", "REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD", "REDIS_URI"],
        ["evaluator"] = ["SUPERLINK_HTTP", "services__superlink__http__0"],
        ["gateway"] = ["SUPERLINK_HTTP", "services__superlink__http__0", "EVALUATOR_HTTP", "services__evaluator__http__0"],
        ["supernode"] = ["GATEWAY_HTTP", "services__gateway__http__0", "SuperNode__DatasetUri", "SuperNode__DisplayName"],
    };

    private static RunPlan Plan(OtlpSettings? otlp = null) =>
        new(AppGraph.Declare(nodes: 2), RedisHosting.Embedded, otlp ?? OtlpSettings.None, randomizePorts: true);

    [Theory]
    [InlineData("superlink")]
    [InlineData("evaluator")]
    [InlineData("gateway")]
    [InlineData("supernode")]
    public void EachProjectGetsExactlyTheAspireKeySet(string name)
    {
        var plan = Plan();
        var env = plan.EnvironmentFor((ProjectResource)plan.Model[name], replica: 0);

        Assert.Equal(EveryProject.Concat(References[name]).Order(StringComparer.Ordinal), env.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ReferencesCarryTheConsumerFacingUrlsAndTheRedisConnectionString()
    {
        var plan = Plan();
        var model = plan.Model;
        var gateway = plan.EnvironmentFor((ProjectResource)model["gateway"], 0);
        var superlink = plan.EnvironmentFor((ProjectResource)model["superlink"], 0);
        var redisPort = plan.Port(model["redis"], "tcp");
        var password = plan.ParameterValue(((RedisResource)model["redis"]).Password);

        Assert.Equal($"http://localhost:{plan.Port(model["superlink"], "http")}", gateway["services__superlink__http__0"]);
        Assert.Equal(gateway["services__superlink__http__0"], gateway["SUPERLINK_HTTP"]);
        Assert.Equal($"localhost:{redisPort},password={password}", superlink["ConnectionStrings__redis"]);
        Assert.Equal($"redis://:{password}@localhost:{redisPort}", superlink["REDIS_URI"]);
        Assert.True(password.Length >= 22 && password.All(char.IsAsciiLetterOrDigit));
        Assert.Equal("superlink", superlink["OTEL_SERVICE_NAME"]);
        Assert.Equal("Development", superlink["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal($"http://localhost:{plan.Port(model["superlink"], "http")}", superlink["ASPNETCORE_URLS"]);
    }

    [Fact]
    public void ReplicasShareTheirServiceNameButEachHasItsOwnPortInstanceAndDataset()
    {
        var plan = Plan();
        var supernode = (ProjectResource)plan.Model["supernode"];
        var first = plan.EnvironmentFor(supernode, 0);
        var second = plan.EnvironmentFor(supernode, 1);

        Assert.Equal(first["OTEL_SERVICE_NAME"], second["OTEL_SERVICE_NAME"]);
        Assert.NotEqual(first["ASPNETCORE_URLS"], second["ASPNETCORE_URLS"]);
        Assert.NotEqual(first["OTEL_RESOURCE_ATTRIBUTES"], second["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Matches("^service.instance.id=[a-z]{8}$", first["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Equal(NodeDatasets.Default(0), first["SuperNode__DatasetUri"]);
        Assert.Equal(NodeDatasets.Default(1), second["SuperNode__DatasetUri"]);
        Assert.Equal(first["services__gateway__http__0"], second["services__gateway__http__0"]);
        Assert.All(plan.InstancesOf(supernode), instance => Assert.Matches("^supernode-[a-z]{8}$", instance));
    }

    [Fact]
    public void OtlpVariablesAppearOnlyWhenACollectorIsConfigured()
    {
        var plan = Plan(OtlpSettings.FromEnvironment(key => key == "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL" ? "http://localhost:18889" : null));
        var env = plan.EnvironmentFor((ProjectResource)plan.Model["superlink"], 0);

        Assert.Equal("http://localhost:18889", env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("grpc", env["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        var withoutCollector = Plan();
        Assert.DoesNotContain("OTEL_EXPORTER_OTLP_ENDPOINT", withoutCollector.EnvironmentFor((ProjectResource)withoutCollector.Model["superlink"], 0).Keys);
    }

    [Fact]
    public void AnExternalRedisIsPassedOnAsGiven()
    {
        var plan = new RunPlan(AppGraph.Declare(1), new RedisHosting.External("cache.example:6380,password=s3cret,ssl=true"),
            OtlpSettings.None, randomizePorts: true);
        var env = plan.EnvironmentFor((ProjectResource)plan.Model["superlink"], 0);

        Assert.Equal("cache.example:6380,password=s3cret,ssl=true", env["ConnectionStrings__redis"]);
        Assert.Equal("cache.example", env["REDIS_HOST"]);
        Assert.Equal("6380", env["REDIS_PORT"]);
        Assert.Equal("s3cret", env["REDIS_PASSWORD"]);
    }

    [Fact]
    public void VariablesAspireNeverPassesOnAreNotInheritedFromTheAppHost()
    {
        Assert.Equal(
            ["ASPNETCORE_ENVIRONMENT", "ASPNETCORE_URLS", "DOTNET_ENVIRONMENT", "DOTNET_LAUNCH_PROFILE"],
            ResourceEnvironment.NotInherited.Order(StringComparer.Ordinal));
    }
}
