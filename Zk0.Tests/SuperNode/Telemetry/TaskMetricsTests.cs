using Zk0.Federation.Protocol;
using Zk0.SuperNode.Telemetry;
using Zk0.Tests.Policy.BehaviourCloning;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.SuperNode.Telemetry;

/// <summary>A real SuperNode's init and train tasks, checked against what its instruments reported for the run.</summary>
public sealed class TaskMetricsTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("zk0-supernode-metrics-").FullName;
    private readonly string _runId = $"run-metrics-{Guid.NewGuid():N}";
    private readonly MeasurementRecorder _metrics = new(SuperNodeTelemetry.Name);
    private ScriptedFleet _fleet = null!;
    private Microsoft.Extensions.Hosting.IHost _node = null!;

    public async Task InitializeAsync()
    {
        _fleet = await ScriptedFleet.StartAsync();
        _node = SuperNodeHost.Build(_fleet.Address, "tiny:kitchen", Path.Combine(_directory, "work"));
        await _node.StartAsync();
    }

    [Fact]
    public async Task BlobTrafficAndTheTrainingLossAreReportedForTheRunAndNode()
    {
        var global = GlobalModel(seed: 4);
        _fleet.Enqueue(NewTask("init-m", TaskKind.Init, round: 0, ""));
        _fleet.Enqueue(NewTask("train-m", TaskKind.Train, round: 1, global));

        var init = await _fleet.NextResultAsync(Timeout);
        var train = await _fleet.NextResultAsync(Timeout);

        Assert.Equal("", init.Error);
        Assert.Equal("", train.Error);
        (string, string)[] tags = [("zk0.run_id", _runId), ("zk0.node_id", train.NodeId)];
        Assert.Equal(init.UpdateSizeBytes + train.UpdateSizeBytes, _metrics.Of("zk0.supernode.bytes.sent", tags).Sum(m => m.Value));
        Assert.Equal(_fleet.Blobs[global].Length, _metrics.Of("zk0.supernode.bytes.received", tags).Sum(m => m.Value));
        Assert.Equal(train.Metrics["loss"], Assert.Single(_metrics.Of("zk0.supernode.train.loss", tags)).Value);
    }

    private string GlobalModel(long seed)
    {
        using var policy = TinyPolicyData.CreatePolicy(seed);
        var path = Path.Combine(_directory, $"global-{seed}.safetensors");
        policy.ExportTrainable(path);
        return _fleet.AddBlob(File.ReadAllBytes(path));
    }

    private FederatedTask NewTask(string id, TaskKind kind, int round, string globalHash) => new()
    {
        TaskId = id,
        RunId = _runId,
        Round = round,
        Kind = kind,
        GlobalModelHash = globalHash,
        Config = { ["seed"] = "4", ["local-steps"] = "2", ["batch-size"] = "8", ["policy"] = "bc" },
    };

    public async Task DisposeAsync()
    {
        await _node.StopAsync();
        _node.Dispose();
        await _fleet.DisposeAsync();
        _metrics.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
