using Grpc.Net.Client;
using Zk0.AppHost.Runs;
using Zk0.Federation.Protocol;
using Zk0.Policy.Abstractions;
using Zk0.Policy.Abstractions.Data;
using Zk0.Tests.Policy.Checkpoints;
using Zk0.Tests.SuperNode;

namespace Zk0.Tests.AppHost.Runs;

/// <summary>The AppHost's checkpoints/round-N and final: a global model downloaded from the Fleet API, saved as a LeRobot checkpoint with its card.</summary>
public sealed class CheckpointExporterTests : IAsyncLifetime
{
    private const string Dataset = "synth:red-cube-to-left-bin";
    private static readonly Dictionary<string, string> Config = new() { ["policy"] = "bc", ["seed"] = "7" };
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("zk0-apphost-export-");
    private ScriptedFleet _fleet = null!;
    private GrpcChannel _channel = null!;

    public async Task InitializeAsync()
    {
        _fleet = await ScriptedFleet.StartAsync();
        _channel = GrpcChannel.ForAddress(_fleet.Address);
    }

    [Fact]
    public async Task AGlobalModelIsSavedAsACheckpointThatStartsTheRunsPolicyWithItsTensors()
    {
        var features = Features();
        using var global = Create(features, Config, seed: 3);
        var blob = Path.Combine(_work.FullName, "global.safetensors");
        global.ExportTrainable(blob);
        var hash = _fleet.AddBlob(File.ReadAllBytes(blob));
        var directory = Path.Combine(_work.FullName, "checkpoints", "final");

        using (var exporter = new CheckpointExporter(new Fleet.FleetClient(_channel), Dataset))
            await exporter.ExportAsync(hash, Config, directory, "# model card", CancellationToken.None);

        using var loaded = Create(features, new Dictionary<string, string>(Config) { [RunSettings.PolicyPathKey] = directory }, seed: 99);
        TrainableTensorsAssert.Same(global, loaded);
        Assert.Equal("# model card", File.ReadAllText(Path.Combine(directory, ModelCard.FileName)));
    }

    [Fact]
    public async Task TheCheckpointRecordsTheNormalizationTheRunTrainedWith()
    {
        var features = Features();
        using var global = Create(features, Config, seed: 3);
        var blob = Path.Combine(_work.FullName, "pooled.safetensors");
        global.ExportTrainable(blob);
        var hash = _fleet.AddBlob(File.ReadAllBytes(blob));
        var directory = Path.Combine(_work.FullName, "checkpoints", "pooled");
        const string pooled = """{"observation.state":{"min":[-90,-90,-90,-90,-90,0],"max":[90,90,90,90,90,100],"mean":[1,2,3,4,5,6],"std":[10,10,10,10,10,10],"count":[500]},"action":{"min":[-90,-90,-90,-90,-90,0],"max":[90,90,90,90,90,100],"mean":[1,2,3,4,5,6],"std":[10,10,10,10,10,10],"count":[500]}}""";
        var runConfig = new Dictionary<string, string>(Config) { [Zk0.Federation.Runs.RunConfigKeys.NormalizationStats] = pooled };

        using (var exporter = new CheckpointExporter(new Fleet.FleetClient(_channel), Dataset))
            await exporter.ExportAsync(hash, runConfig, directory, "# model card", CancellationToken.None);

        var stats = Zk0.Policy.Checkpoints.ProcessorPipelineReader.ReadNormalization(directory).Stats;
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], stats["observation.state.mean"]);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], stats["action.mean"]);
    }

    [Fact]
    public async Task AnEmptyModelHashIsRefusedSayingTheRunHasNoCommittedModel()
    {
        using var exporter = new CheckpointExporter(new Fleet.FleetClient(_channel), Dataset);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => exporter.ExportAsync("", Config, Path.Combine(_work.FullName, "final"), "card", CancellationToken.None));

        Assert.Contains("no committed global model", error.Message);
    }

    private static PolicyFeatures Features()
    {
        using var dataset = new LeRobotPolicyDatasetSource(new PolicyDataOptions()).Open(Dataset, DatasetSplit.Train);
        return dataset.Features;
    }

    private static IFederatedPolicy Create(PolicyFeatures features, Dictionary<string, string> config, long seed)
    {
        var settings = RunSettings.From(config);
        return PolicyCatalog.Builtin().Create(settings.PolicyType, new PolicyCreateOptions(features, settings.Raw, seed));
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _fleet.DisposeAsync();
        _work.Delete(recursive: true);
    }
}
