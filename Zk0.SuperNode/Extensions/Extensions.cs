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
    /// <summary>
    /// The node's services: options, the Fleet gRPC client, the policy catalog, the task runner and the worker. Settings
    /// the node cannot work with (Fleet address, CA file, key) throw <see cref="SettingsProblem.Is"/> exceptions naming them.
    /// </summary>
    public static IHostApplicationBuilder AddSuperNode(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SuperNodeOptions>().BindConfiguration(SuperNodeOptions.SectionName);
        TorchThreads.Apply(builder.Configuration[$"{SuperNodeOptions.SectionName}:{nameof(SuperNodeOptions.TorchThreads)}"]);
        var transport = FleetTransport.From(builder.Configuration);
        builder.Services.AddSingleton(transport);
        builder.Services.AddHostedService<FleetTransportNotice>();

        var fleet = builder.Services.AddGrpcClient<Federation.Protocol.Fleet.FleetClient>(o => o.Address = transport.Address)
            // Blob streams outlive the standard handler's 30 s total timeout (aspire-contract §1).
            .RemoveAllResilienceHandlers();
        if (transport.IsTls) fleet.ConfigurePrimaryHttpMessageHandler(() => ServerTrust.CreateHandler(transport.CaFile));
        if (builder.Configuration[$"{SuperNodeOptions.SectionName}:{nameof(SuperNodeOptions.KeyDirectory)}"] is { Length: > 0 } keyDirectory)
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
}
