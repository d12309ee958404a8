namespace Zk0.Gateway.Authentication;

public static class GatewayAuthExtensions
{
    /// <summary>The <c>Gateway:Auth</c> options and the operator credential check.</summary>
    public static IHostApplicationBuilder AddGatewayAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayAuthOptions>().BindConfiguration(GatewayAuthOptions.SectionName);
        builder.Services.AddSingleton<OperatorAccess>();
        return builder;
    }
}
