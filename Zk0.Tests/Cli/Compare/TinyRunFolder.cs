using System.Text.Json;
using System.Text.Json.Nodes;
using Zk0.Datasets.Simulation;
using Zk0.Datasets.Writing;
using Zk0.Policy.Abstractions;
using Zk0.Policy.Abstractions.Data;
using Zk0.Policy.SmolVla.Checkpoint;
using Zk0.Policy.SmolVla.Federation;

namespace Zk0.Tests.Cli.Compare;

/// <summary>
/// A finished federated run as the AppHost leaves it, built for real: two small synthetic LeRobot datasets (one node
/// each, and a third task no node trains on), run.json and metrics.json with the contract's fields (2 rounds × 2 nodes × 2 steps = 8 steps), and
/// checkpoints/final/ saved by SmolVlaCheckpoint from a tiny SmolVLA trained on node 0's data.
/// </summary>
public sealed class TinyRunFolder : IAsyncLifetime
{
    public const int StepsPerNodeAndRound = 2;
    public const int Rounds = 2;
    public const int FederatedSteps = StepsPerNodeAndRound * Rounds * 2;

    private readonly string _directory = Directory.CreateTempSubdirectory("zk0-compare-").FullName;

    public IReadOnlyList<string> DatasetUris { get; private set; } = [];

    /// <summary>A task neither node trains on (blue cube), for the unseen-task evaluation.</summary>
    public string UnseenDatasetUri { get; private set; } = "";

    public const long DefaultSeed = 7;

    /// <summary>The normalization the SuperLink would have pooled from the two nodes' datasets (run.json's config has it).</summary>
    public string PooledNormalization { get; private set; } = "";

    public static Dictionary<string, string> Config(string? policyPath = null, long seed = DefaultSeed)
    {
        var config = new Dictionary<string, string>
        {
            ["policy"] = "smolvla",
            ["seed"] = seed.ToString(),
            ["batch-size"] = "4",
            ["eval-batch-size"] = "16",
            ["learning-rate"] = "0.001",
            ["local-steps"] = StepsPerNodeAndRound.ToString(),
            ["num-server-rounds"] = Rounds.ToString(),
            [SmolVlaRunSettings.HiddenKey] = "32",
            [SmolVlaRunSettings.LayersKey] = "2",
            [SmolVlaRunSettings.ImageSizeKey] = "32",
            [SmolVlaRunSettings.DenoiseStepsKey] = "2",
        };
        if (policyPath is not null) config[SmolVlaRunSettings.PolicyPathKey] = policyPath;
        return config;
    }

    public async Task InitializeAsync()
    {
        var options = new SyntheticDatasetOptions
        {
            Simulator = SimulatorOptions.Default with { ImageWidth = 32, ImageHeight = 24, Fps = 5, Cameras = [SimCameras.Top] },
            Writer = new LeRobotWriterOptions { Cameras = CameraEncoding.ParquetImages },
        };
        var red = await SyntheticDatasets.GenerateAsync(SimTaskCatalog.Get("red-cube-to-left-bin"), 5, seed: 3, Path.Combine(_directory, "red"), options);
        var green = await SyntheticDatasets.GenerateAsync(SimTaskCatalog.Get("green-cube-to-right-bin"), 5, seed: 4, Path.Combine(_directory, "green"), options);
        var blue = await SyntheticDatasets.GenerateAsync(SimTaskCatalog.Get("blue-cube-to-far-bin"), 5, seed: 5, Path.Combine(_directory, "blue"), options);
        DatasetUris = [$"local:{red}", $"local:{green}"];
        UnseenDatasetUri = $"local:{blue}";
        var source = new LeRobotPolicyDatasetSource(new PolicyDataOptions());
        var splits = DatasetUris.Select(uri => source.Open(uri, Zk0.Policy.Abstractions.DatasetSplit.Train)).ToList();
        PooledNormalization = RunNormalizationView.PooledStatistics(splits)!.ToJson();
        foreach (var split in splits) split.Dispose();
    }

    /// <summary>
    /// A fresh run folder of the run with this <paramref name="seed"/> (its final model trained from that seed);
    /// <paramref name="nodeDatasets"/> replaces the nodes' dataset URIs (e.g. with a missing one), <paramref name="unseenDatasets"/>
    /// are the evaluation tasks no node trains on.
    /// </summary>
    public string Create(string name, IReadOnlyList<string>? nodeDatasets = null, long seed = DefaultSeed, IReadOnlyList<string>? unseenDatasets = null)
    {
        var folder = Path.Combine(_directory, "outputs", name);
        Directory.CreateDirectory(folder);
        var config = Config(seed: seed);
        config[Zk0.Federation.Runs.RunConfigKeys.NormalizationStats] = PooledNormalization;
        WriteJson(Path.Combine(folder, "run.json"), RunJson(name, config, nodeDatasets ?? DatasetUris, unseenDatasets ?? []));
        WriteJson(Path.Combine(folder, "metrics.json"), MetricsJson(name, config));
        SaveFinalCheckpoint(Path.Combine(folder, "checkpoints", "final"), config);
        return folder;
    }

    private JsonObject RunJson(string runId, Dictionary<string, string> config, IReadOnlyList<string> nodeDatasets, IReadOnlyList<string> unseenDatasets) => new()
    {
        ["run_id"] = runId,
        ["created_utc"] = "2026-11-23T09:00:00Z",
        ["config"] = new JsonObject(config.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value))),
        ["nodes"] = new JsonArray(nodeDatasets.Select((uri, i) => (JsonNode)new JsonObject
        {
            ["node_index"] = i,
            ["dataset_uri"] = uri,
            ["dataset_id"] = $"dataset-{i}",
        }).ToArray()),
        ["eval_datasets"] = new JsonArray(DatasetUris.Select(u => (JsonNode)JsonValue.Create(u)!).ToArray()),
        ["unseen_eval_datasets"] = new JsonArray(unseenDatasets.Select(u => (JsonNode)JsonValue.Create(u)!).ToArray()),
        ["seeds"] = new JsonObject { ["run"] = long.Parse(config["seed"]) },
        ["versions"] = new JsonObject { ["zk0"] = "test" },
    };

    private static JsonObject MetricsJson(string runId, Dictionary<string, string> config) => new()
    {
        ["run_id"] = runId,
        ["status"] = "completed",
        ["num_server_rounds"] = Rounds,
        ["config"] = new JsonObject(config.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value))),
        ["rounds"] = new JsonArray(Enumerable.Range(1, Rounds).Select(round => (JsonNode)new JsonObject
        {
            ["round"] = round,
            ["duration_ms"] = 1500,
            ["train"] = new JsonObject
            {
                ["node-a"] = new JsonObject { ["dataset_id"] = "dataset-0", ["num_examples"] = 8, ["steps"] = StepsPerNodeAndRound, ["loss"] = 1.0 },
                ["node-b"] = new JsonObject { ["dataset_id"] = "dataset-1", ["num_examples"] = 8, ["steps"] = StepsPerNodeAndRound, ["loss"] = 1.1 },
            },
            ["train_metrics"] = new JsonObject { ["round-learning-rate"] = 0.001 },
            ["eval"] = new JsonObject { ["loss"] = 0.9, ["metrics"] = new JsonObject(), ["datasets"] = new JsonObject() },
        }).ToArray()),
    };

    /// <summary>The "federated" model: the run's initial SmolVLA after a few steps on node 0's data, saved as LeRobot does.</summary>
    private void SaveFinalCheckpoint(string directory, Dictionary<string, string> config)
    {
        var settings = RunSettings.From(config);
        using var data = new LeRobotPolicyDatasetSource(new PolicyDataOptions()).Open(DatasetUris[0], DatasetSplit.Train);
        using var policy = (SmolVlaFederatedPolicy)new SmolVlaPolicyFactory().Create(new PolicyCreateOptions(data.Features, config, settings.Seed));
        policy.Train(data.ShuffledBatches(settings.BatchSize, seed: 1), settings.TrainingOptions(seed: 1) with { Steps = 3 });
        SmolVlaCheckpoint.Save(policy.Policy, directory);
    }

    private static void WriteJson(string path, JsonNode node) =>
        File.WriteAllText(path, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
