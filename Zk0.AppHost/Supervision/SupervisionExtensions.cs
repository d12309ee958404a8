namespace Zk0.AppHost.Supervision;

public static class SupervisionExtensions
{
    /// <summary>
    /// Restarts the local graph's processes when they die (<see cref="ResourceSupervisor"/>). A deployment gets the
    /// same from its platform's restart policy (docs/running.md, "Deploying"): the manifest has no field for it.
    /// </summary>
    public static IDistributedApplicationBuilder AddSupervision(this IDistributedApplicationBuilder builder, RestartPolicy? policy = null)
    {
        if (builder.ExecutionContext.IsPublishMode) return builder;

        builder.Services.AddSingleton(policy ?? RestartPolicy.Default);
        builder.Services.AddSingleton<OperatorCommands>();
        builder.Services.AddSingleton<SupervisedResources>();
        builder.Services.AddHostedService<ResourceSupervisor>();
        return builder;
    }
}
