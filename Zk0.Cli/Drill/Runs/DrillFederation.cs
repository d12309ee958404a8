using Zk0.Cli.Drill.Nodes;
using Zk0.Cli.Simulation;
using Zk0.Federation.Blobs;
using Zk0.Federation.Protocol;

namespace Zk0.Cli.Drill.Runs;

/// <summary>
/// One drill's federation: the real services (<see cref="BenchFederation"/>) with the drill's short leases, and the drill's
/// synthetic trainers and evaluators, each running until it is killed or the drill ends.
/// </summary>
public sealed class DrillFederation : IAsyncDisposable
{
    private readonly List<(CancellationTokenSource Life, Task Running)> _nodes = [];
    private readonly List<SuperLinkEndpoints> _endpoints = [];
    private readonly Lock _lock = new();
    private int _nodesStarted;

    private DrillFederation(BenchFederation services, DrillSettings settings)
    {
        Services = services;
        Model = new SyntheticModel(settings.ModelParameters);
        Operator = Endpoints();
    }

    public BenchFederation Services { get; }
    public SyntheticModel Model { get; }
    /// <summary>The operator's connection (Control API), to any replica.</summary>
    public SuperLinkEndpoints Operator { get; }

    public static async Task<DrillFederation> StartAsync(DrillSettings settings, string name, FederationLayout layout, CancellationToken ct)
    {
        var superLinkSettings = new Dictionary<string, string>(DrillSettings.SuperLinkSettings);
        foreach (var (key, value) in layout.SuperLinkSettings ?? new Dictionary<string, string>()) superLinkSettings[key] = value;
        var directory = Path.Combine(settings.WorkDirectory, name);
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        var services = await BenchFederation.StartAsync(directory, layout with { SuperLinkSettings = superLinkSettings }, ct);
        return new DrillFederation(services, settings);
    }

    /// <summary>
    /// Starts a trainer for <paramref name="datasetId"/> and waits until it is registered. Nodes spread over the replicas
    /// (or all go through the gateway). <paramref name="life"/> cancelled is the node's death.
    /// </summary>
    public async Task<DrillTrainer> StartTrainerAsync(string datasetId, TrainerBehaviour behaviour, CancellationTokenSource? life = null, Action<FederatedTask>? pulled = null)
    {
        var trainer = new DrillTrainer(Endpoints(), datasetId, NumExamples(datasetId), Model, behaviour) { Pulled = pulled };
        Track(life ?? new CancellationTokenSource(), trainer.RunAsync);
        await WaitUntilAsync(() => trainer.NodeId.Length > 0, $"trainer {datasetId} to register");
        return trainer;
    }

    public async Task<DrillEvaluator> StartEvaluatorAsync(Func<FederatedTask, bool>? diesAfterPulling = null)
    {
        var evaluator = new DrillEvaluator(Endpoints()) { DiesAfterPulling = diesAfterPulling ?? (_ => false) };
        Track(new CancellationTokenSource(), evaluator.RunAsync);
        await WaitUntilAsync(() => evaluator.NodeId.Length > 0, "the evaluator to register");
        return evaluator;
    }

    /// <summary>The initial model every drill run starts from (variant 0), uploaded by the operator.</summary>
    public async Task<string> UploadInitialModelAsync(CancellationToken ct) =>
        await BenchRun.UploadAsync(Operator.Fleet, Model, 0, BlobCaller.Operator, ct);

    public async Task<string> SubmitAsync(IReadOnlyDictionary<string, string> config, CancellationToken ct) =>
        await BenchRun.SubmitAsync(Operator.Control, config, ct);

    /// <summary>Runs <paramref name="config"/> without disturbing it; its final model.</summary>
    public async Task<string> RunUndisturbedAsync(IReadOnlyDictionary<string, string> config, CancellationToken ct)
    {
        var runId = await SubmitAsync(config, ct);
        return RunFollower.FinalModel(runId, await RunFollower.FollowAsync(Operator, runId, _ => { }, DrillSettings.RunTimeout, ct));
    }

    public async ValueTask DisposeAsync()
    {
        List<(CancellationTokenSource Life, Task Running)> nodes;
        lock (_lock) nodes = [.. _nodes];
        try
        {
            foreach (var (life, _) in nodes) await life.CancelAsync();
            await Task.WhenAll(nodes.Select(n => n.Running));
        }
        finally
        {
            // The services go whatever a node's loop ended with: no orphaned SuperLink or Garnet process.
            foreach (var (life, _) in nodes) life.Dispose();
            lock (_lock)
                foreach (var endpoints in _endpoints) endpoints.Dispose();
            Services.Dispose();
        }
    }

    /// <summary>Examples per dataset: fixed per dataset id, so FedAvg weights are the same in every run.</summary>
    private static long NumExamples(string datasetId) => 100 + datasetId.Sum(c => c) % 50;

    private SuperLinkEndpoints Endpoints()
    {
        var addresses = Services.FleetAddress == Services.SuperLinkAddress ? Services.SuperLinkAddresses : [Services.FleetAddress];
        lock (_lock)
        {
            var endpoints = new SuperLinkEndpoints(addresses, _nodesStarted++);
            _endpoints.Add(endpoints);
            return endpoints;
        }
    }

    private void Track(CancellationTokenSource life, Func<CancellationToken, Task> run)
    {
        lock (_lock) _nodes.Add((life, Task.Run(() => run(life.Token))));
    }

    private static async Task WaitUntilAsync(Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!done())
        {
            if (DateTime.UtcNow > deadline) throw new DrillFailedException($"timed out after 60 s waiting for {what}.");
            await Task.Delay(50);
        }
    }
}
