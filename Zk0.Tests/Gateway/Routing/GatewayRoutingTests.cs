using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Xunit.Abstractions;
using Zk0.AppHost.Hosting;
using Zk0.AppHost.Logs;
using Zk0.Tests.AppHost.Hosting;

namespace Zk0.Tests.Gateway.Routing;

/// <summary>
/// Runs the real Gateway process in front of two real Kestrel backends found through service
/// discovery keys: an h2c one standing where the SuperLink is and an HTTP/1.1 one for the Evaluator.
/// </summary>
public sealed class GatewayRoutingTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly int _superlinkPort = PortAllocator.GetFreePort();
    private readonly int _evaluatorPort = PortAllocator.GetFreePort();
    private readonly int _gatewayPort = PortAllocator.GetFreePort();
    private WebApplication? _superlink;
    private WebApplication? _evaluator;
    private ManagedProcess? _gateway;

    public async Task InitializeAsync()
    {
        _superlink = Backend("superlink", _superlinkPort, HttpProtocols.Http2);
        _evaluator = Backend("evaluator", _evaluatorPort, HttpProtocols.Http1);
        await Task.WhenAll(_superlink.StartAsync(), _evaluator.StartAsync());

        var gateway = ProjectLocator.FromAppHostAssembly().LocateBuilt("Zk0.Gateway");
        _gateway = ManagedProcess.Start("gateway", "gateway", new DistributedApplicationOptions { Logs = new LoggerLogSink(new TestOutputLoggerFactory(output)) }.DotnetPath,
            [gateway.AssemblyPath], gateway.ProjectDirectory,
            new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = $"http://localhost:{_gatewayPort}",
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["services__superlink__http__0"] = $"http://localhost:{_superlinkPort}",
                ["services__evaluator__http__0"] = $"http://localhost:{_evaluatorPort}",
            },
            new LoggerLogSink(new TestOutputLoggerFactory(output)));
        using var probe = new HealthProbe();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await probe.WaitUntilHealthyAsync(new Zk0.AppHost.Model.EndpointSpec("http", "http", "http2"), _gatewayPort, "/health", _gateway.Exited, "gateway", cts.Token);
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null) await _gateway.DisposeAsync();
        if (_superlink is not null) await _superlink.DisposeAsync();
        if (_evaluator is not null) await _evaluator.DisposeAsync();
    }

    private static WebApplication Backend(string name, int port, HttpProtocols protocols)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, o => o.Protocols = protocols));
        var app = builder.Build();
        app.Map("/{**path}", (HttpContext context) => Results.Text(string.Join('\n',
            $"backend={name}",
            $"path={context.Request.Path}",
            $"protocol={context.Request.Protocol}",
            $"traceparent={context.Request.Headers["traceparent"]}")));
        return app;
    }

    // No propagator: the test sets traceparent itself, and a listener registered by another test in this process
    // would otherwise make the client start a new trace and overwrite the header.
    private HttpClient GatewayClient() => new(new SocketsHttpHandler { UseProxy = false, ActivityHeadersPropagator = null })
    {
        BaseAddress = new Uri($"http://localhost:{_gatewayPort}"),
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    private static Dictionary<string, string> Parse(string body) =>
        body.Split('\n').Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);

    [Theory]
    [InlineData("/zk0.federation.v1.Fleet/PullTask")]
    [InlineData("/zk0.federation.v1.Control/SubmitRun")]
    public async Task FleetAndControlCallsReachTheSuperLinkOverHttp2(string path)
    {
        using var http = GatewayClient();

        using var response = await http.PostAsync(path, new ByteArrayContent([0, 0, 0, 0, 0]));
        var echoed = Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("superlink", echoed["backend"]);
        Assert.Equal(path, echoed["path"]);
        Assert.Equal("HTTP/2", echoed["protocol"]);
    }

    [Fact]
    public async Task EvaluatorQueriesLoseTheirPrefixAndReachTheEvaluator()
    {
        using var http = GatewayClient();

        var echoed = Parse(await http.GetStringAsync("/evaluator/rounds/2"));

        Assert.Equal("evaluator", echoed["backend"]);
        Assert.Equal("/rounds/2", echoed["path"]);
    }

    [Fact]
    public async Task TheCallersTraceContinuesThroughTheGateway()
    {
        using var http = GatewayClient();
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/zk0.federation.v1.Fleet/Heartbeat") 
        {
            Content = new ByteArrayContent([]),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var echoed = Parse(body);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}");
        Assert.StartsWith($"00-{traceId}-", echoed["traceparent"]);
    }

    [Fact]
    public async Task UnknownPathsAreNotForwarded()
    {
        using var http = GatewayClient();

        using var response = await http.GetAsync("/not-a-route");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
