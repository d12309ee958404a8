using Zk0.Tests.Integration.Graph;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.Integration;

/// <summary>
/// One whole graph shared by the whole-graph tests (a graph costs ~10–16 s to start and ~12–15 s to stop here):
/// the AppHost with 2 SuperNodes and the Aspire dashboard, whose default run is a small seeded BC run of 2 rounds.
/// </summary>
public sealed class FederationGraphFixture : IAsyncLifetime
{
    public const int Nodes = 2;

    /// <summary>What <c>--run-config</c> gives the AppHost; the AppHost adds min-train-nodes=1 (one node may die) and submits once both nodes are online.</summary>
    public const string RunConfig = "policy=bc num-server-rounds=2 local-steps=2 batch-size=4 seed=7 checkpoint-interval=1";

    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    private readonly DirectoryInfo _outputs = Directory.CreateTempSubdirectory("zk0-graph-outputs-");

    public TestGraph Graph { get; private set; } = null!;

    public string OutputDirectory => _outputs.FullName;

    /// <summary>The dashboard's URL (its proxy's: the testing host randomizes every port).</summary>
    public Uri Dashboard => Graph.DashboardUrl;

    private Task<FinishedRun>? _defaultRun;

    /// <summary>How the run the AppHost submitted at start ended (later runs started by tests replace it on the run resource).</summary>
    public Task<FinishedRun> DefaultRun => _defaultRun!;

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        Graph = await TestGraph.BuildAsync("federation",
            ["--nodes", Nodes.ToString(), "--output", OutputDirectory, "--run-config", RunConfig],
            new Dictionary<string, string?>
            {
                ["ASPNETCORE_URLS"] = $"http://localhost:{FreePort.Next()}",
                ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://localhost:{FreePort.Next()}",
                ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://localhost:{FreePort.Next()}",
                ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true",
                ["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true",
            },
            dashboard: true, cts.Token);
        await Graph.App.StartAsync(cts.Token);
        _defaultRun = Graph.WaitForRunAsync(new CancellationTokenSource(Timeout).Token);
    }

    public async Task DisposeAsync()
    {
        if (Graph is not null) await Graph.DisposeAsync();
        _outputs.Delete(recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class FederationGraphCollection : ICollectionFixture<FederationGraphFixture>
{
    public const string Name = "federation graph";
}
