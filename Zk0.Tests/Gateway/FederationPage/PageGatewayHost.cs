using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Zk0.Gateway.Authentication;

namespace Zk0.Tests.Gateway.FederationPage;

/// <summary>
/// The Gateway as its Program.cs builds it, with its own appsettings.json, in front of a real SuperLink found through
/// service discovery; its HTTP/1.1 endpoint (the one a browser opens) on a free loopback port.
/// </summary>
public sealed class PageGatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PageGatewayHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The HTTP/1.1 endpoint, ending in '/'.</summary>
    public Uri Address { get; }

    public static async Task<PageGatewayHost> StartAsync(string superlinkAddress, string? operatorToken = null)
    {
        var app = InProcessGateway.Build(new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:grpc:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:http:Url"] = "http://127.0.0.1:0",
            ["services:superlink:grpc:0"] = superlinkAddress,
            // No Evaluator in these tests; the discard port keeps /evaluator/* pointing nowhere rather than at a default.
            ["services:evaluator:http:0"] = "http://127.0.0.1:9",
            [$"{GatewayAuthOptions.SectionName}:{nameof(GatewayAuthOptions.OperatorToken)}"] = operatorToken,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await app.StartAsync();
        return new PageGatewayHost(app, await Http1AddressAsync(app));
    }

    /// <summary>The two endpoints bound port 0 each; the HTTP/1.1 one answers a plain HTTP/1.1 request, the h2c one does not.</summary>
    private static async Task<Uri> Http1AddressAsync(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        foreach (var address in addresses)
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
            try
            {
                using var response = await http.GetAsync(new Uri(new Uri(address), "/health"));
                if (response.IsSuccessStatusCode) return new Uri(address.TrimEnd('/') + "/");
            }
            catch (Exception e) when (e is HttpRequestException or IOException) { }
        }
        throw new InvalidOperationException($"No HTTP/1.1 endpoint among {string.Join(", ", addresses)}.");
    }

    public HttpClient Client() => new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Address };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
