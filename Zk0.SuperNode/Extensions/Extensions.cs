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
        var transport = FleetTransportOrExit(builder.Configuration);
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

    /// <summary>The Fleet transport, or the end of the process with one line saying what to fix.</summary>
    private static FleetTransport FleetTransportOrExit(IConfiguration configuration)
    {
        try
        {
            return FleetTransport.From(configuration);
        }
        catch (Exception ex) when (ex is InsecureTransportException or ServerTrustException or InvalidOperationException)
        {
            Console.Error.WriteLine($"zk0 supernode: {ex.Message}");
            Environment.Exit(2);
            throw;
        }
    }
}
