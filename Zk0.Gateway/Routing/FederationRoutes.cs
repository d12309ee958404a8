namespace Zk0.Gateway.Routing;

public static class FederationRoutes
{
    /// <summary>
    /// YARP with the routes of the <c>ReverseProxy</c> section (Fleet and Control to the SuperLink's gRPC
    /// endpoint, <c>/evaluator/*</c> to the Evaluator); destinations such as <c>http://_grpc.superlink</c>
    /// are resolved through service discovery.
    /// </summary>
    public static IHostApplicationBuilder AddFederationRoutes(this IHostApplicationBuilder builder)
    {
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver();
        return builder;
    }
}
