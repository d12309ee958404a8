using System.Text.Json;
using Zk0.AppHost;
using Zk0.AppHost.Hosting;
using Zk0.AppHost.Manifest;

namespace Zk0.Tests.AppHost.Manifest;

public sealed class ManifestTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("zk0-manifest-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private JsonElement Publish()
    {
        var path = Path.Combine(_directory, "aspire-manifest.json");
        var projects = ProjectLocator.FromAppHostAssembly();
        ManifestWriter.Write(AppGraph.Declare(nodes: 3), path, p => projects.Locate(p.ProjectName).ProjectFile);
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement;
    }

    [Fact]
    public void RedisIsAContainerWithAConnectionStringAndAGeneratedPassword()
    {
        var resources = Publish().GetProperty("resources");
        var redis = resources.GetProperty("redis");

        Assert.Equal("container.v0", redis.GetProperty("type").GetString());
        Assert.Equal("{redis.bindings.tcp.host}:{redis.bindings.tcp.port},password={redis-password.value}", redis.GetProperty("connectionString").GetString());
        Assert.Equal("redis-server --requirepass $REDIS_PASSWORD", redis.GetProperty("args")[1].GetString());
        Assert.Equal(6379, redis.GetProperty("bindings").GetProperty("tcp").GetProperty("targetPort").GetInt32());
        var password = resources.GetProperty("redis-password");
        Assert.Equal("parameter.v0", password.GetProperty("type").GetString());
        Assert.True(password.GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean());
        Assert.Equal(22, password.GetProperty("inputs").GetProperty("value").GetProperty("default").GetProperty("generate").GetProperty("minLength").GetInt32());
        Assert.Equal("uri", resources.GetProperty("redis-password-uri-encoded").GetProperty("filter").GetString());
    }

    [Theory]
    [InlineData("superlink", "Zk0.SuperLink", "http2")]
    [InlineData("supernode", "Zk0.SuperNode", "http")]
    [InlineData("evaluator", "Zk0.Evaluator", "http")]
    [InlineData("gateway", "Zk0.Gateway", "http2")]
    public void EveryServiceIsAProjectWithItsCsprojPublishEnvironmentAndBindings(string name, string project, string transport)
    {
        var resource = Publish().GetProperty("resources").GetProperty(name);

        Assert.Equal("project.v0", resource.GetProperty("type").GetString());
        var path = resource.GetProperty("path").GetString()!;
        Assert.EndsWith($"{project}/{project}.csproj", path);
        Assert.True(File.Exists(Path.Combine(_directory, path)), $"{path} is relative to the manifest");
        var env = resource.GetProperty("env");
        Assert.Equal($"{{{name}.bindings.http.targetPort}}", env.GetProperty("HTTP_PORTS").GetString());
        Assert.Equal("in_memory", env.GetProperty("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY").GetString());
        Assert.False(env.TryGetProperty("ASPNETCORE_URLS", out _));
        Assert.False(env.TryGetProperty("OTEL_EXPORTER_OTLP_ENDPOINT", out _));
        var http = resource.GetProperty("bindings").GetProperty("http");
        Assert.Equal("http", http.GetProperty("scheme").GetString());
        Assert.Equal(transport, http.GetProperty("transport").GetString());
    }

    [Fact]
    public void ReferencesBecomeBindingExpressions()
    {
        var resources = Publish().GetProperty("resources");
        var superlink = resources.GetProperty("superlink").GetProperty("env");
        var supernode = resources.GetProperty("supernode").GetProperty("env");

        Assert.Equal("{redis.connectionString}", superlink.GetProperty("ConnectionStrings__redis").GetString());
        Assert.Equal("{redis.bindings.tcp.scheme}://:{redis-password-uri-encoded.value}@{redis.bindings.tcp.host}:{redis.bindings.tcp.port}",
            superlink.GetProperty("REDIS_URI").GetString());
        Assert.Equal("{gateway.bindings.http.url}", supernode.GetProperty("services__gateway__http__0").GetString());
        Assert.Equal("{supernode-dataset.value}", supernode.GetProperty("SuperNode__DatasetUri").GetString());
        Assert.True(resources.GetProperty("gateway").GetProperty("bindings").GetProperty("http").GetProperty("external").GetBoolean());
    }
}
