using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Zk0.Federation.Security;
using Zk0.Gateway.Authentication;
using Zk0.Gateway.Routing;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.Gateway.Routing;

/// <summary>
/// The Gateway as its Program.cs builds it, with its own appsettings.json (routes and Kestrel endpoints), in front of two
/// real Kestrel backends found through service discovery keys: an h2c one standing where the SuperLink's gRPC endpoint
/// is and an HTTP/1.1 one for the Evaluator.
/// </summary>
public sealed class GatewayRoutingTests : IAsyncLifetime
{
    private int _gatewayGrpcPort;
    private int _gatewayHttpPort;
    private WebApplication? _superlink;
    private WebApplication? _evaluator;
    private WebApplication? _gateway;

    public async Task InitializeAsync()
    {
        _superlink = Backend("superlink", HttpProtocols.Http2);
        _evaluator = Backend("evaluator", HttpProtocols.Http1);
        await Task.WhenAll(_superlink.StartAsync(), _evaluator.StartAsync());

        (_gateway, _gatewayGrpcPort, _gatewayHttpPort) = await InProcessGateway.StartAsync((grpc, http) => new Dictionary<string, string?>(InProcessGateway.PlainEndpoints(grpc, http))
        {
            ["services:superlink:grpc:0"] = Address(_superlink),
            ["services:evaluator:http:0"] = Address(_evaluator),
        });
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null) await _gateway.DisposeAsync();
        if (_superlink is not null) await _superlink.DisposeAsync();
        if (_evaluator is not null) await _evaluator.DisposeAsync();
    }

    private static WebApplication Backend(string name, HttpProtocols protocols)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = protocols));
        var app = builder.Build();
        app.Map("/{**path}", (HttpContext context) => Results.Text(string.Join('\n',
            $"backend={name}",
            $"path={context.Request.Path}",
            $"protocol={context.Request.Protocol}",
            $"traceparent={context.Request.Headers["traceparent"]}",
            $"verified-key-id={context.Request.Headers[FleetRequestSignature.VerifiedKeyIdHeader]}")));
        return app;
    }

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();

    // No propagator: the test sets traceparent itself, and a listener registered by another test in this process
    // would otherwise make the client start a new trace and overwrite the header.
    private HttpClient GatewayClient() => new(new SocketsHttpHandler { UseProxy = false, ActivityHeadersPropagator = null })
    {
        BaseAddress = new Uri($"http://127.0.0.1:{_gatewayGrpcPort}"),
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
    public async Task HealthIsServedOverHttp11OnTheHttpEndpointForOrchestratorProbes()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{_gatewayHttpPort}") };

        using var response = await http.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Version(1, 1), response.Version);
    }

    [Fact]
    public async Task UnknownPathsAreNotForwarded()
    {
        using var http = GatewayClient();

        using var response = await http.GetAsync("/not-a-route");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ACallerCannotClaimAVerifiedNodeKeyItself()
    {
        using var http = GatewayClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/zk0.federation.v1.Fleet/PullTask")
        {
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Add(FleetRequestSignature.VerifiedKeyIdHeader, "sha256:" + new string('a', 64));

        using var response = await http.SendAsync(request);
        var echoed = Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal("superlink", echoed["backend"]);
        Assert.Equal("", echoed["verified-key-id"]);
    }
}
