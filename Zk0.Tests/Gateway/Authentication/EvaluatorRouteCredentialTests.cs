using System.Net;
using System.Net.Http.Headers;
using Zk0.Gateway.Authentication;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.Gateway.Authentication;

/// <summary>The Evaluator's evaluations and checkpoints are an operator's business: behind the same credential as the Control API.</summary>
public sealed class EvaluatorRouteCredentialTests
{
    private const string Token = "operator-secret";

    [Fact]
    public async Task WithoutTheOperatorCredentialTheEvaluatorRouteIsRefusedBeforeTheEvaluator()
    {
        var evaluator = $"http://127.0.0.1:{FreePort.Next()}";
        var (gateway, address) = await AuthGateway.StartAsync(new Dictionary<string, string?>
        {
            ["services:superlink:grpc:0"] = "http://127.0.0.1:1",
            ["services:evaluator:http:0"] = evaluator,
            ["Gateway:Auth:OperatorToken"] = Token,
        });
        await using var _ = gateway;
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var refused = await http.GetAsync($"{address}/evaluator/runs/r1/checkpoint");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(GatewayAuthMiddleware.EvaluatorCredentialMissing, await refused.Content.ReadAsStringAsync());

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{address}/evaluator/runs/r1/checkpoint") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Token) } };
        using var passed = await http.SendAsync(request);
        // With the credential the call goes on to the proxy (no Evaluator answers here): whatever it says, not the gateway's refusal.
        Assert.NotEqual(HttpStatusCode.Unauthorized, passed.StatusCode);
        Assert.NotEqual(GatewayAuthMiddleware.EvaluatorCredentialMissing, await passed.Content.ReadAsStringAsync());
    }
}
