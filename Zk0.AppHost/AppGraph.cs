using Zk0.AppHost.Model;

namespace Zk0.AppHost;

/// <summary>
/// The Zk0 federation, declared once: Redis state, the SuperLink coordinator, the Evaluator, the
/// YARP gateway (the one endpoint nodes need) and N SuperNode trainers, each on its own dataset.
/// The local runner, the test harness and the manifest publisher all read this model.
/// </summary>
public static class AppGraph
{
    /// <summary>The gateway's port in a local run (what node operators point at).</summary>
    public const int GatewayPort = 5180;

    /// <param name="stateDirectory">Where a local run keeps SuperLink blobs and node scratch space; null leaves the services' defaults.</param>
    public static AppModel Declare(int nodes, Func<int, string>? datasetForNode = null, string? stateDirectory = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        datasetForNode ??= NodeDatasets.Default;
        var builder = new AppModelBuilder();

        var redis = builder.AddRedis("redis");

        var superlink = builder.AddProject("superlink", "Zk0.SuperLink")
            .WithHttpEndpoint(transport: "http2")
            .WithHttpHealthCheck("/health")
            .WithReference(redis)
            .WaitFor(redis);
        if (stateDirectory is not null)
            superlink.WithEnvironment("SuperLink__Blobs__Directory", Path.Combine(stateDirectory, "superlink-blobs"));

        var evaluator = builder.AddProject("evaluator", "Zk0.Evaluator")
            .WithHttpEndpoint()
            .WithHttpHealthCheck("/health")
            .WithReference(superlink)
            .WaitFor(superlink);
        // The Evaluator scores held-out episodes of every node's dataset.
        for (var i = 0; i < nodes; i++)
            evaluator.WithEnvironment($"Evaluator__Datasets__{i}", datasetForNode(i));
        if (stateDirectory is not null)
            evaluator.WithEnvironment("Evaluator__WorkDirectory", Path.Combine(stateDirectory, "evaluator"));

        var gateway = builder.AddProject("gateway", "Zk0.Gateway")
            .WithHttpEndpoint(port: GatewayPort, transport: "http2")
            .WithExternalHttpEndpoints()
            .WithHttpHealthCheck("/health")
            .WithReference(superlink)
            .WithReference(evaluator)
            .WaitFor(superlink)
            .WaitFor(evaluator);

        // In a deployment every node operator supplies their own dataset; locally node i gets
        // synthetic task i.
        var nodeDataset = builder.AddParameter("supernode-dataset", defaultValue: datasetForNode(0));

        var supernode = builder.AddProject("supernode", "Zk0.SuperNode")
            .WithHttpEndpoint()
            .WithHttpHealthCheck("/health")
            .WithReplicas(nodes)
            .WithReference(gateway)
            .WaitFor(gateway)
            .WithEnvironment("SuperNode__DatasetUri", nodeDataset)
            .WithReplicaEnvironment("SuperNode__DatasetUri", datasetForNode)
            .WithReplicaEnvironment("SuperNode__DisplayName", NodeDatasets.DisplayName);
        if (stateDirectory is not null)
            supernode.WithReplicaEnvironment("SuperNode__WorkDirectory", i => Path.Combine(stateDirectory, $"supernode-{i}"));

        return builder.Build();
    }
}
