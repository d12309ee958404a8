using Zk0.Gateway.Authentication;
using Zk0.Gateway.FederationPage;
using Zk0.Gateway.Routing;
using Zk0.Gateway.Tls;

namespace Zk0.Gateway;

/// <summary>What the gateway is made of, in order: Program.cs runs it, and tests build the very same gateway with it.</summary>
public static class GatewayComposition
{
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddGatewayAuth();
        builder.AddFederationRoutes();
        builder.AddFederationPage();
        builder.AddGatewayTls();
        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.MapDefaultEndpoints();
        app.UseGatewayAuth();
        app.MapReverseProxy();
        app.MapFederationPage();
        return app;
    }
}
