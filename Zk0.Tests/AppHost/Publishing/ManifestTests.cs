using System.Text.Json;

namespace Zk0.Tests.AppHost.Publishing;

/// <summary>What ops teams deploy: the manifest Aspire's own publisher writes for the Zk0 graph.</summary>
public sealed class ManifestTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("zk0-manifest-").FullName;
    private JsonElement _resources;

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var path = Path.Combine(_directory, "aspire-manifest.json");
        var result = await AppHostProcess.RunAsync(["--nodes", "3", "--publisher", "manifest", "--output-path", path], cts.Token);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Output}{result.Error}");
        _resources = JsonDocument.Parse(await File.ReadAllTextAsync(path, cts.Token)).RootElement.GetProperty("resources").Clone();
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public void RedisIsAContainerWithAConnectionStringAndAGeneratedPassword()
    {
        var redis = _resources.GetProperty("redis");

        Assert.Equal("container.v0", redis.GetProperty("type").GetString());
        Assert.StartsWith("{redis.bindings.tcp.host}:{redis.bindings.tcp.port},password={redis-password.value}", redis.GetProperty("connectionString").GetString());
        Assert.Contains(redis.GetProperty("args").EnumerateArray(), a => a.GetString()!.Contains("--requirepass"));
        Assert.Equal(6379, redis.GetProperty("bindings").GetProperty("tcp").GetProperty("targetPort").GetInt32());
        var password = _resources.GetProperty("redis-password");
        Assert.Equal("parameter.v0", password.GetProperty("type").GetString());
        Assert.True(password.GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean());
    }

    [Fact]
    public void RedisAsksForAnAppendOnlyFileSyncedEverySecondOnAVolume()
    {
        var redis = _resources.GetProperty("redis");

        // Aspire starts it as /bin/sh -c "redis-server ...": the flags must be inside that command line.
        var command = Assert.Single(redis.GetProperty("args").EnumerateArray(), a => a.GetString()!.StartsWith("redis-server", StringComparison.Ordinal)).GetString();
        Assert.Contains("--appendonly yes --appendfsync everysec", command);
        Assert.Equal("/data", Assert.Single(redis.GetProperty("volumes").EnumerateArray()).GetProperty("target").GetString());
    }

    [Fact]
    public void LocalOnlyResourcesAreNotPublished()
    {
        var names = _resources.EnumerateObject().Select(r => r.Name).ToList();

        Assert.DoesNotContain("garnet", names);
        Assert.DoesNotContain("run", names);
        Assert.DoesNotContain(names, n => n.EndsWith("-rebuilder", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("superlink", "Zk0.SuperLink", "grpc", 5190)]
    [InlineData("gateway", "Zk0.Gateway", "grpc", 5180)]
    [InlineData("evaluator", "Zk0.Evaluator", "http", 5200)]
    [InlineData("supernode-0", "Zk0.SuperNode", "http", null)]
    [InlineData("supernode-2", "Zk0.SuperNode", "http", null)]
    public void EveryServiceIsAProjectWithItsCsprojAndBindings(string name, string project, string endpoint, int? targetPort)
    {
        var resource = _resources.GetProperty(name);

        Assert.Equal("project.v0", resource.GetProperty("type").GetString());
        var path = resource.GetProperty("path").GetString()!;
        Assert.EndsWith($"{project}/{project}.csproj", path);
        Assert.True(File.Exists(Path.Combine(_directory, path)), $"{path} is relative to the manifest");
        var binding = resource.GetProperty("bindings").GetProperty(endpoint);
        Assert.Equal("http", binding.GetProperty("scheme").GetString());
        Assert.Equal(endpoint == "grpc" ? "http2" : "http", binding.GetProperty("transport").GetString());
        if (targetPort is not null) Assert.Equal(targetPort, binding.GetProperty("targetPort").GetInt32());
    }

    [Fact]
    public void ReferencesAndParametersBecomeBindingExpressions()
    {
        var superlink = _resources.GetProperty("superlink").GetProperty("env");
        var gateway = _resources.GetProperty("gateway");
        var node = _resources.GetProperty("supernode-1").GetProperty("env");

        Assert.Equal("{redis.connectionString}", superlink.GetProperty("ConnectionStrings__redis").GetString());
        Assert.Equal("{superlink.bindings.grpc.url}", gateway.GetProperty("env").GetProperty("services__superlink__grpc__0").GetString());
        Assert.True(gateway.GetProperty("bindings").GetProperty("grpc").GetProperty("external").GetBoolean());
        Assert.Equal("{gateway.bindings.grpc.url}", node.GetProperty("services__gateway__grpc__0").GetString());
        Assert.Equal("{supernode-1-dataset.value}", node.GetProperty("SuperNode__DatasetUri").GetString());
        var dataset = _resources.GetProperty("supernode-1-dataset");
        Assert.Equal("parameter.v0", dataset.GetProperty("type").GetString());
        Assert.StartsWith("synth:", dataset.GetProperty("inputs").GetProperty("value").GetProperty("default").GetProperty("value").GetString());
    }

    [Fact]
    public void NodeAuthenticationIsOnAndTheTokensAreSecretParameters()
    {
        var gateway = _resources.GetProperty("gateway").GetProperty("env");
        var superlink = _resources.GetProperty("superlink").GetProperty("env");
        var evaluator = _resources.GetProperty("evaluator").GetProperty("env");

        Assert.Equal("true", gateway.GetProperty("Gateway__Auth__NodeAuthentication").GetString());
        Assert.Equal("{operator-token.value}", gateway.GetProperty("Gateway__Auth__OperatorToken").GetString());
        Assert.Equal("{redis.connectionString}", gateway.GetProperty("ConnectionStrings__redis").GetString());
        Assert.Equal("true", superlink.GetProperty("SuperLink__Auth__NodeAuthentication").GetString());
        Assert.Equal("{evaluator-token.value}", superlink.GetProperty("SuperLink__Auth__EvaluatorToken").GetString());
        Assert.Equal("{evaluator-token.value}", evaluator.GetProperty("Evaluator__Token").GetString());
        Assert.Equal("{supernode-2-key-directory.value}", _resources.GetProperty("supernode-2").GetProperty("env").GetProperty("SuperNode__KeyDirectory").GetString());
        Assert.Equal("/keys", _resources.GetProperty("supernode-2-key-directory").GetProperty("inputs").GetProperty("value").GetProperty("default").GetProperty("value").GetString());
        foreach (var name in new[] { "operator-token", "evaluator-token" })
        {
            var parameter = _resources.GetProperty(name);
            Assert.Equal("parameter.v0", parameter.GetProperty("type").GetString());
            Assert.True(parameter.GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean());
        }
    }
}
