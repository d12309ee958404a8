using Microsoft.Extensions.DependencyInjection;
using Zk0.AppHost.Graph;

namespace Zk0.AppHost.Runs;

public static class FederationRunExtensions
{
    /// <summary>
    /// The run the AppHost submits once the graph is healthy (a "run" resource in the dashboard) and the
    /// SuperLink's "Start run" / "Stop run" commands, calling the gateway with <paramref name="credentials"/>. Needs <see cref="GraphReportExtensions.AddGraphReport"/>.
    /// </summary>
    public static IDistributedApplicationBuilder AddFederationRun(this IDistributedApplicationBuilder builder,
        DefaultRunSettings settings, IResourceBuilder<ProjectResource> superlink, GatewayCredentials credentials)
    {
        if (builder.ExecutionContext.IsPublishMode) return builder;

        var run = builder.AddResource(new FederationRunResource("run"))
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = FederationRunResource.ResourceType,
                State = RunStates.Waiting,
                Properties = [new(FederationRunResource.ConfigProperty, string.Join(' ', settings.Config.Select(kv => $"{kv.Key}={kv.Value}")))],
            })
            .WithIconName("BranchFork")
            .WithRelationship(superlink.Resource, "Submitted to")
            .ExcludeFromManifest();

        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(credentials);
        builder.Services.AddSingleton(run.Resource);
        builder.Services.AddSingleton<RunLauncher>();
        builder.Services.AddHostedService<DefaultRunService>();

        superlink.WithCommand("start-run", "Start run", StartRunAsync, new CommandOptions
        {
            Description = "Submit the AppHost's run configuration through the gateway and follow it (outputs as for the default run).",
            IconName = "Play",
            UpdateState = context => !context.Services.GetRequiredService<RunLauncher>().IsRunning
                                     && context.ResourceSnapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
                ? ResourceCommandState.Enabled
                : ResourceCommandState.Disabled,
        });
        superlink.WithCommand("stop-run", "Stop run", StopRunAsync, new CommandOptions
        {
            Description = "Ask the SuperLink to stop the run the AppHost started.",
            IconName = "Stop",
            ConfirmationMessage = "Stop the current run? Its outputs so far are kept.",
            UpdateState = context => context.Services.GetRequiredService<RunLauncher>().IsRunning
                ? ResourceCommandState.Enabled
                : ResourceCommandState.Disabled,
        });
        return builder;
    }

    private static Task<ExecuteCommandResult> StartRunAsync(ExecuteCommandContext context)
    {
        var launcher = context.Services.GetRequiredService<RunLauncher>();
        if (launcher.IsRunning) return Task.FromResult(CommandResults.Failure("A run is still running; stop it first."));
        var stopping = context.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        _ = Task.Run(() => launcher.RunAsync(stopping), stopping);
        return Task.FromResult(CommandResults.Success());
    }

    private static async Task<ExecuteCommandResult> StopRunAsync(ExecuteCommandContext context)
    {
        var launcher = context.Services.GetRequiredService<RunLauncher>();
        try
        {
            return await launcher.StopAsync("stopped from the dashboard", context.CancellationToken)
                ? CommandResults.Success()
                : CommandResults.Failure("No run started by the AppHost is running.");
        }
        catch (Grpc.Core.RpcException ex)
        {
            return CommandResults.Failure($"The SuperLink did not stop the run: {ex.Status.Detail}");
        }
    }
}
