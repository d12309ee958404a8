using Zk0.Federation.Protocol;

namespace Zk0.Gateway.FederationPage;

public static class FederationPageExtensions
{
    /// <summary>The Control API client the federation page reads runs and nodes through (the SuperLink's gRPC endpoint, found by service discovery).</summary>
    public static IHostApplicationBuilder AddFederationPage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddGrpcClient<Control.ControlClient>(o => o.Address = new Uri("http://_grpc.superlink"))
            // A run's event stream stays open for the whole run, far past the standard handler's 30 s total timeout.
            .RemoveAllResilienceHandlers();
        return builder;
    }

    /// <summary>
    /// The live federation page at <c>/</c> with its sign-in, its assets, and the JSON and server-sent-event API it reads
    /// under <c>/api</c>; all of it behind the operator credential when one is configured.
    /// </summary>
    public static IEndpointRouteBuilder MapFederationPage(this IEndpointRouteBuilder app)
    {
        app.MapPageEndpoints();
        app.MapSignIn();
        var api = app.MapGroup("/api").AddEndpointFilter<OperatorOnlyFilter>();
        api.MapRunsApi();
        api.MapRunEventStream();
        return app;
    }
}
