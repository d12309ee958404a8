using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Zk0.Gateway.Authentication;

public static class GatewayAuthExtensions
{
    /// <summary>
    /// The <c>Gateway:Auth</c> options and the operator credential check; with node authentication on, also the
    /// federation's Redis (<c>ConnectionStrings:redis</c>), where the node key registry and the seen nonces are.
    /// </summary>
    public static IHostApplicationBuilder AddGatewayAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayAuthOptions>().BindConfiguration(GatewayAuthOptions.SectionName);
        builder.Services.AddSingleton<OperatorAccess>();
        if (!builder.Configuration.GetValue<bool>($"{GatewayAuthOptions.SectionName}:{nameof(GatewayAuthOptions.NodeAuthentication)}")) return builder;
        builder.AddRedisClient("redis");
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RegisteredNodeKeys>();
        builder.Services.AddSingleton<NonceLedger>();
        builder.Services.AddSingleton<FleetCallVerifier>();
        return builder;
    }

    /// <summary>Checks every request against <see cref="GatewayAuthOptions"/> before it may be proxied; call before <c>MapReverseProxy</c>.</summary>
    public static IApplicationBuilder UseGatewayAuth(this IApplicationBuilder app) => app.UseMiddleware<GatewayAuthMiddleware>();
}
