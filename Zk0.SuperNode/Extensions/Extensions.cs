using Zk0.Federation.Protocol;
using Zk0.Federation.Security;
using Zk0.Policy.Abstractions;
using Microsoft.Extensions.Options;
using Zk0.Policy.Abstractions.Data;
using Zk0.SuperNode.Fleet;
using Zk0.SuperNode.Tasks;

namespace Zk0.SuperNode.Extensions;

public static class Extensions
{
    /// <summary>The node's services: options, the Fleet gRPC client, the policy catalog, the task runner and the worker.</summary>
    public static IHostApplicationBuilder AddSuperNode(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SuperNodeOptions>().BindConfiguration(SuperNodeOptions.SectionName);
        var settings = builder.Configuration.GetSection(SuperNodeOptions.SectionName).Get<SuperNodeOptions>() ?? new SuperNodeOptions();

        var fleet = builder.Services.AddGrpcClient<Federation.Protocol.Fleet.FleetClient>(o => o.Address = FleetAddress.Resolve(builder.Configuration, settings.FleetAddress))
            .ConfigurePrimaryHttpMessageHandler(() => ServerTrust.CreateHandler(NullIfEmpty(settings.CaFile)))
            // Blob streams outlive the standard handler's 30 s total timeout (aspire-contract §1).
            .RemoveAllResilienceHandlers();
        if (NullIfEmpty(settings.KeyDirectory) is { } keyDirectory)
        {
            // Loaded now, so a missing or wrong key stops the node at start with the file named.
            var key = NodeKeyPair.Load(keyDirectory);
            fleet.AddInterceptor(() => new FleetSigningInterceptor(key));
        }

        builder.Services.AddOptions<PolicyDataOptions>().BindConfiguration(PolicyDataOptions.SectionName);
        builder.Services.AddSingleton<IPolicyDatasetSource>(sp => new LeRobotPolicyDatasetSource(sp.GetRequiredService<IOptions<PolicyDataOptions>>().Value));
        builder.Services.AddSingleton(PolicyCatalog.Builtin());
        builder.Services.AddSingleton<PolicyCache>();
        builder.Services.AddSingleton<NodeStatus>();
        builder.Services.AddSingleton<TransientRetry>();
        builder.Services.AddSingleton<ResultPusher>();
        builder.Services.AddSingleton<TaskRunner>();
        builder.Services.AddHostedService<SuperNodeWorker>();
        return builder;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
