using System.Net;
using System.Text.Json;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.Gateway.FederationPage;

/// <summary>With no SuperLink behind the gateway, the page's API says so instead of failing with a bare 500.</summary>
public sealed class UnreachableSuperLinkTests
{
    [Fact]
    public async Task TheApiAnswersServiceUnavailableWithAMessage()
    {
        await using var gateway = await PageGatewayHost.StartAsync($"http://127.0.0.1:{FreePort.Next()}");
        using var http = gateway.Client();

        using var response = await http.GetAsync("api/runs");
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("The SuperLink did not answer (Unavailable", error);
    }
}
