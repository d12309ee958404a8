namespace Zk0.AppHost.Graph;

public static class GraphReportExtensions
{
    /// <summary>The console report of the local graph (<see cref="GraphMonitor"/>) and the AppHost's exit code.</summary>
    public static IDistributedApplicationBuilder AddGraphReport(this IDistributedApplicationBuilder builder, FederationGraph graph)
    {
        if (builder.ExecutionContext.IsPublishMode) return builder;

        builder.Services.AddSingleton(graph);
        builder.Services.AddSingleton<AppHostConsole>();
        builder.Services.AddSingleton<AppHostExit>();
        builder.Services.AddSingleton<GraphMonitor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<GraphMonitor>());
        return builder;
    }
}
