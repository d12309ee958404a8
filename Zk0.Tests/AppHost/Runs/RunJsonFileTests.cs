using System.Text.Json;
using Zk0.AppHost.Runs;
using Zk0.Federation.Protocol;
using Zk0.Federation.Runs;

namespace Zk0.Tests.AppHost.Runs;

public sealed class RunJsonFileTests
{
    private static readonly Dictionary<string, string> Config = new()
    {
        ["num-server-rounds"] = "3",
        ["seed"] = "7",
        ["policy"] = "bc",
        ["checkpoint-interval"] = "2",
    };

    private static JsonElement Written(IReadOnlyList<RunNode> nodes, string status = "running")
    {
        var description = new RunDescription(SampleRun.RunId, new DateTimeOffset(2026, 11, 23, 9, 30, 0, TimeSpan.Zero), status, null,
            Config, nodes, SampleRun.NodeDatasets, EvaluationSeed: 0, RuntimeVersions.Current());
        using var stream = new MemoryStream();
        RunJsonFile.Write(description, stream);
        using var document = JsonDocument.Parse(stream.ToArray());
        return document.RootElement.Clone();
    }

    [Fact]
    public void Records_config_nodes_eval_datasets_and_versions()
    {
        var json = Written(SampleRun.Nodes());

        Assert.Equal(SampleRun.RunId, json.GetProperty("run_id").GetString());
        Assert.Equal("2026-11-23T09:30:00.000Z", json.GetProperty("created_utc").GetString());
        Assert.Equal("running", json.GetProperty("status").GetString());
        Assert.Equal(Config, json.GetProperty("config").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!));
        var nodes = json.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal([0, 1], nodes.Select(n => n.GetProperty("node_index").GetInt32()));
        Assert.Equal(SampleRun.NodeDatasets, nodes.Select(n => n.GetProperty("dataset_uri").GetString()));
        Assert.Equal(SampleRun.DatasetIds, nodes.Select(n => n.GetProperty("dataset_id").GetString()));
        Assert.Equal(SampleRun.NodeDatasets, json.GetProperty("eval_datasets").EnumerateArray().Select(e => e.GetString()));

        var versions = json.GetProperty("versions");
        foreach (var key in new[] { "zk0", "dotnet", "torchsharp", "libtorch", "os" })
            Assert.False(string.IsNullOrWhiteSpace(versions.GetProperty(key).GetString()), $"versions.{key} is empty");
        Assert.Contains(".NET", versions.GetProperty("dotnet").GetString());
        Assert.Matches(@"^\d+\.\d+", versions.GetProperty("libtorch").GetString());
        Assert.Matches("^([0-9a-f]{40})?$", versions.GetProperty("git_commit").GetString());
    }

    [Fact]
    public void Seeds_are_the_run_seed_the_evaluation_seed_and_the_task_seed_each_node_trains_each_round_with()
    {
        var seeds = Written(SampleRun.Nodes()).GetProperty("seeds");

        Assert.Equal(7, seeds.GetProperty("run").GetInt64());
        Assert.Equal(0, seeds.GetProperty("evaluation").GetInt64());
        var tasks = seeds.GetProperty("train_tasks").EnumerateArray().ToList();
        Assert.Equal(2, tasks.Count);
        foreach (var task in tasks)
        {
            var datasetId = task.GetProperty("dataset_id").GetString()!;
            var rounds = task.GetProperty("rounds").EnumerateObject().ToDictionary(p => int.Parse(p.Name), p => p.Value.GetInt64());
            Assert.Equal([1, 2, 3], rounds.Keys.Order());
            Assert.All(rounds, r => Assert.Equal(TaskSeeds.For(7, r.Key, datasetId), r.Value));
        }
        Assert.NotEqual(tasks[0].GetProperty("rounds").GetProperty("1").GetInt64(), tasks[1].GetProperty("rounds").GetProperty("1").GetInt64());
    }

    [Fact]
    public void A_node_that_has_not_reported_its_dataset_id_is_listed_without_task_seeds()
    {
        var nodes = new[] { new RunNode(0, "synth:a", "", ""), new RunNode(1, "synth:b", "ds-b", "n1") };

        var json = Written(nodes);

        Assert.Equal("", json.GetProperty("nodes")[0].GetProperty("dataset_id").GetString());
        Assert.Equal([1], json.GetProperty("seeds").GetProperty("train_tasks").EnumerateArray().Select(t => t.GetProperty("node_index").GetInt32()));
    }

    [Fact]
    public void Local_nodes_are_matched_to_registered_nodes_by_display_name_the_latest_registration_winning()
    {
        var registered = new[]
        {
            new NodeInfo { NodeId = "old", DisplayName = "node-1", DatasetId = "ds-old", RegisteredUnixMs = 1 },
            new NodeInfo { NodeId = "new", DisplayName = "node-1", DatasetId = "ds-new", RegisteredUnixMs = 2 },
            new NodeInfo { NodeId = "evaluator", DisplayName = "evaluator", DatasetId = "", RegisteredUnixMs = 2 },
        };

        var nodes = RunNode.Match(["synth:a", "synth:b"], registered);

        Assert.Equal(new RunNode(0, "synth:a", "", ""), nodes[0]);
        Assert.Equal(new RunNode(1, "synth:b", "ds-new", "new"), nodes[1]);
    }

    [Theory]
    [InlineData(null, 5, new[] { 5, 10 })]
    [InlineData("2", 2, new[] { 2, 4, 6 })]
    [InlineData("0", 0, new int[0])]
    public void Checkpoints_are_saved_every_interval_rounds(string? value, int interval, int[] saved)
    {
        var config = value is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["checkpoint-interval"] = value };

        var schedule = CheckpointSchedule.From(config);

        Assert.Equal(interval, schedule.Interval);
        Assert.Equal(saved, Enumerable.Range(1, 10).Where(schedule.SavesRound).Take(3));
    }

    [Theory]
    [InlineData(1, "1")]
    [InlineData(2, "1")]
    [InlineData(4, "3")]
    public void The_default_run_goes_on_when_one_node_dies(int nodes, string minTrainNodes)
    {
        Assert.Equal(minTrainNodes, DefaultRun.Config(nodes, new Dictionary<string, string>())["min-train-nodes"]);
        Assert.Equal("4", DefaultRun.Config(nodes, new Dictionary<string, string> { ["min-train-nodes"] = "4" })["min-train-nodes"]);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("two")]
    public void A_bad_checkpoint_interval_is_refused_before_submitting_naming_the_key(string value)
    {
        var error = Assert.Throws<RunConfigurationException>(() => DefaultRun.Config(2, new Dictionary<string, string> { ["checkpoint-interval"] = value }));
        Assert.Contains("checkpoint-interval", error.Message);
    }
}
