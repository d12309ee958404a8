using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Zk0.Cli.Compare;
using Zk0.Policy.Abstractions;
using Zk0.Policy.Abstractions.Data;
using Zk0.Policy.Checkpoints;
using Zk0.Policy.SmolVla.Federation;
using Xunit.Abstractions;

namespace Zk0.Tests.Cli.Compare;

public sealed class CompareCommandTests(TinyRunFolder runs, ITestOutputHelper log) : IClassFixture<TinyRunFolder>
{
    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var root = new RootCommand { CompareCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await root.Parse(["compare", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private static Task<(int Exit, string Output, string Error)> RunOneSeedAsync(params string[] args) => RunAsync([.. args, "--seeds", "1"]);

    [Fact]
    public async Task Compare_scores_the_federated_and_the_central_model_on_every_dataset_with_the_same_number_of_steps()
    {
        var run = runs.Create("end-to-end");

        var stopwatch = Stopwatch.StartNew();
        var (exit, output, error) = await RunOneSeedAsync("--run", run);
        log.WriteLine($"zk0 compare wall time: {stopwatch.Elapsed.TotalSeconds:F1} s");
        log.WriteLine(output);

        Assert.True(exit == 0, error);
        Assert.Matches(@"\| dataset +\| examples \| metric +\| federated +\| central +\| federated/central \|", output);
        Assert.Matches(@"\| overall +\| \d+ +\| loss +\| [0-9.]+ +\| [0-9.]+ +\| [0-9.]+ +\|", output);
        Assert.Contains($"| optimizer steps (each seed) | {TinyRunFolder.FederatedSteps} | {TinyRunFolder.FederatedSteps} |", output);
        Assert.Contains("One seed: no confidence interval", output);
        Assert.DoesNotContain("Unseen tasks", output);
        var compare = Path.Combine(run, "compare");
        Assert.Equal(output.Split("written:")[0].Trim(), File.ReadAllText(Path.Combine(compare, "compare.md")).Trim());

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(compare, "compare.json")));
        var root = json.RootElement;
        Assert.Equal(TinyRunFolder.FederatedSteps, root.GetProperty("steps").GetProperty("federated").GetInt32());
        Assert.Equal(TinyRunFolder.FederatedSteps, root.GetProperty("steps").GetProperty("central").GetInt32());
        var rows = runs.DatasetUris.Select(uri => root.GetProperty("datasets").GetProperty(uri)).Append(root.GetProperty("overall")).ToList();
        foreach (var row in rows)
        {
            Assert.True(row.GetProperty("examples").GetInt64() > 0);
            foreach (var side in new[] { "federated", "central" })
            foreach (var metric in new[] { "loss", "action_error" })
                Assert.True(double.IsFinite(row.GetProperty(side).GetProperty(metric).GetDouble()), $"{side} {metric}");
        }
        var overall = root.GetProperty("overall");
        Assert.NotEqual(overall.GetProperty("federated").GetProperty("loss").GetDouble(), overall.GetProperty("central").GetProperty("loss").GetDouble());

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(compare, "compare.png")).Take(4));
        AssertCentralCheckpointHoldsTheCentralModel(compare);
    }

    [Fact]
    public async Task The_same_run_folder_gives_the_same_central_model_and_numbers_and_steps_can_be_overridden()
    {
        var run = runs.Create("determinism");
        var first = Path.Combine(run, "first");
        var second = Path.Combine(run, "second");

        var (exitA, _, errorA) = await RunOneSeedAsync("--run", run, "--out", first, "--steps", "3");
        var (exitB, _, errorB) = await RunOneSeedAsync("--run", run, "--out", second, "--steps", "3");

        Assert.True(exitA == 0, errorA);
        Assert.True(exitB == 0, errorB);
        Assert.Equal(File.ReadAllBytes(Path.Combine(first, CentralTrainer.TrainableFileName)), File.ReadAllBytes(Path.Combine(second, CentralTrainer.TrainableFileName)));
        using var a = JsonDocument.Parse(File.ReadAllText(Path.Combine(first, "compare.json")));
        using var b = JsonDocument.Parse(File.ReadAllText(Path.Combine(second, "compare.json")));
        Assert.Equal(3, a.RootElement.GetProperty("steps").GetProperty("central").GetInt32());
        Assert.Equal(TinyRunFolder.FederatedSteps, a.RootElement.GetProperty("steps").GetProperty("federated").GetInt32());
        Assert.Equal(Scores(a.RootElement), Scores(b.RootElement));
    }

    [Fact]
    public async Task A_missing_run_folder_is_a_clear_error()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"zk0-no-such-run-{Guid.NewGuid():N}");

        var (exit, _, error) = await RunAsync("--run", missing);

        Assert.Equal(1, exit);
        Assert.Contains($"Run folder '{missing}' does not exist", error);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task A_missing_run_json_is_a_clear_error()
    {
        var run = runs.Create("no-run-json");
        File.Delete(Path.Combine(run, "run.json"));

        var (exit, _, error) = await RunAsync("--run", run);

        Assert.Equal(1, exit);
        Assert.Contains("has no run.json", error);
        Assert.Contains("run the federation with outputs first", error);
        Assert.False(Directory.Exists(Path.Combine(run, "compare")));
    }

    [Theory]
    [InlineData("{ not json", "is not valid JSON")]
    [InlineData("[1, 2]", "must hold a JSON object")]
    [InlineData("""{"run_id": "x", "nodes": [], "eval_datasets": []}""", "has no \"config\" object")]
    [InlineData("""{"run_id": "x", "config": {}, "nodes": [{"node_index": 0}], "eval_datasets": ["a"]}""", "node 0 has no \"dataset_uri\"")]
    [InlineData("""{"run_id": "x", "config": {}, "nodes": [{"dataset_uri": "a"}], "eval_datasets": []}""", "lists no eval_datasets")]
    public async Task An_invalid_run_json_is_a_clear_error_and_is_left_as_it_was(string content, string message)
    {
        var run = runs.Create($"bad-run-json-{Math.Abs(content.GetHashCode())}");
        var path = Path.Combine(run, "run.json");
        File.WriteAllText(path, content);

        var (exit, _, error) = await RunAsync("--run", run);

        Assert.Equal(1, exit);
        Assert.Contains(path, error);
        Assert.Contains(message, error);
        Assert.Equal(content, File.ReadAllText(path));
    }

    [Fact]
    public async Task A_run_without_a_final_checkpoint_says_to_run_the_federation_with_outputs()
    {
        var run = runs.Create("no-checkpoint");
        Directory.Delete(Path.Combine(run, "checkpoints", "final"), recursive: true);

        var (exit, _, error) = await RunAsync("--run", run);

        Assert.Equal(1, exit);
        Assert.Contains("checkpoints/final/", error);
        Assert.Contains("Run the federation with run outputs enabled", error);
    }

    [Fact]
    public async Task A_node_dataset_that_is_not_there_is_a_clear_error_naming_it()
    {
        var missing = $"local:{Path.Combine(Path.GetTempPath(), $"zk0-no-such-dataset-{Guid.NewGuid():N}")}";
        var run = runs.Create("missing-dataset", [runs.DatasetUris[0], missing]);

        var (exit, _, error) = await RunOneSeedAsync("--run", run);

        Assert.Equal(1, exit);
        Assert.Contains($"Node 1's dataset '{missing}' (from run.json) cannot be opened", error);
        Assert.False(File.Exists(Path.Combine(run, "compare", "compare.md")));
    }

    [Fact]
    public async Task The_closed_loop_episode_count_is_the_runs_own_unless_given_and_is_recorded()
    {
        var run = runs.Create("episodes");
        var ownDirectory = Path.Combine(run, "own");
        var given = Path.Combine(run, "given");

        var (exitA, outputA, errorA) = await RunOneSeedAsync("--run", run, "--out", ownDirectory, "--steps", "1");
        var (exitB, outputB, errorB) = await RunOneSeedAsync("--run", run, "--out", given, "--steps", "1", "--eval-episodes", "7");

        Assert.True(exitA == 0, errorA);
        Assert.True(exitB == 0, errorB);
        var own = RunSettings.From(TinyRunFolder.Config()).ClosedLoop.Episodes;
        using var a = JsonDocument.Parse(File.ReadAllText(Path.Combine(ownDirectory, "compare.json")));
        using var b = JsonDocument.Parse(File.ReadAllText(Path.Combine(given, "compare.json")));
        Assert.Equal(own, a.RootElement.GetProperty("eval_episodes").GetInt32());
        Assert.Equal(7, b.RootElement.GetProperty("eval_episodes").GetInt32());
        Assert.Contains($"success over {own} closed-loop episode(s) per task and seed", outputA);
        Assert.Contains("success over 7 closed-loop episode(s) per task and seed", outputB);
    }

    [Theory]
    [InlineData("zero-steps", "--steps", "0", "--steps must be a positive number")]
    [InlineData("negative-episodes", "--eval-episodes", "-1", "--eval-episodes must be 0 or more")]
    public async Task A_count_out_of_range_is_refused_by_name(string name, string option, string value, string message)
    {
        var run = runs.Create(name);

        var (exit, _, error) = await RunOneSeedAsync("--run", run, option, value);

        Assert.Equal(1, exit);
        Assert.Contains(message, error);
        Assert.False(File.Exists(Path.Combine(run, "compare", "compare.md")));
    }

    [Fact]
    public async Task Three_seeds_give_mean_and_confidence_interval_per_task_and_score_the_unseen_task_apart()
    {
        long[] seeds = [7, 8, 9];
        var folders = seeds.Select(seed => runs.Create($"seed-{seed}", seed: seed, unseenDatasets: [runs.UnseenDatasetUri])).ToList();

        var (exit, output, error) = await RunAsync("--run", folders[0], "--run", folders[1], "--run", folders[2]);
        log.WriteLine(output);

        Assert.True(exit == 0, error);
        var compare = Path.Combine(folders[0], "compare");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(compare, "compare.json")));
        var root = json.RootElement;
        Assert.Equal(3, root.GetProperty("seed_count").GetInt32());
        Assert.Equal(seeds, root.GetProperty("seeds").EnumerateArray().Select(s => s.GetProperty("seed").GetInt64()));
        Assert.All(root.GetProperty("seeds").EnumerateArray(), s => Assert.Equal(
            [TinyRunFolder.FederatedSteps, TinyRunFolder.FederatedSteps], new[] { "federated", "central" }.Select(side => s.GetProperty("steps").GetProperty(side).GetInt32())));
        foreach (var folder in folders)
            Assert.True(File.Exists(Path.Combine(compare, Path.GetFileName(folder), CentralTrainer.TrainableFileName)), $"central model of {folder}");

        var overall = root.GetProperty("overall");
        foreach (var side in new[] { "federated", "central" })
        {
            var values = overall.GetProperty("per_seed").GetProperty("loss").GetProperty(side).EnumerateArray().Select(v => v.GetDouble()).ToList();
            Assert.Equal(3, values.Count);
            Assert.Equal(3, values.Distinct().Count()); // each seed trains another model
            var mean = values.Average();
            var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / 2);
            Assert.Equal(mean, overall.GetProperty(side).GetProperty("loss").GetDouble(), 12);
            Assert.Equal(4.303 * sd / Math.Sqrt(3), overall.GetProperty($"{side}_ci95").GetProperty("loss").GetDouble(), 12);
        }
        Assert.Equal(overall.GetProperty("federated").GetProperty("loss").GetDouble() / overall.GetProperty("central").GetProperty("loss").GetDouble(),
            overall.GetProperty("ratio").GetProperty("loss").GetDouble(), 12);

        var unseen = root.GetProperty("unseen_datasets").GetProperty(runs.UnseenDatasetUri);
        var unseenOverall = root.GetProperty("overall_unseen");
        Assert.Equal(unseen.GetProperty("examples").GetInt64(), unseenOverall.GetProperty("examples").GetInt64());
        Assert.Equal(unseen.GetProperty("federated").GetProperty("loss").GetDouble(), unseenOverall.GetProperty("federated").GetProperty("loss").GetDouble(), 9);
        Assert.Equal(runs.DatasetUris.Order(), root.GetProperty("datasets").EnumerateObject().Select(d => d.Name).Order());
        Assert.Equal(runs.DatasetUris.Sum(uri => root.GetProperty("datasets").GetProperty(uri).GetProperty("examples").GetInt64()),
            overall.GetProperty("examples").GetInt64());

        Assert.Contains("### Unseen tasks (no node trains on them)", output);
        Assert.Contains("Cells: mean over the 3 seeds ± half-width of the 95 % confidence interval", output);
        Assert.Matches(@"\| overall unseen +\| \d+ +\| loss +\| [0-9.]+ ± [0-9.e-]+ +\| [0-9.]+ ± [0-9.e-]+ +\| [0-9.]+ ± [0-9.e-]+ +\|", output);
    }

    [Fact]
    public async Task By_default_compare_wants_three_seeds_and_says_how_to_get_them()
    {
        var run = runs.Create("one-of-three");

        var (exit, _, error) = await RunAsync("--run", run);

        Assert.Equal(1, exit);
        Assert.Contains("Compare runs 3 seed(s) but got 1 run folder(s)", error);
        Assert.Contains("--seeds 1", error);
        Assert.False(Directory.Exists(Path.Combine(run, "compare")));
    }

    [Fact]
    public async Task Runs_with_the_same_seed_are_refused()
    {
        var a = runs.Create("same-seed-a", seed: 11);
        var b = runs.Create("same-seed-b", seed: 11);

        var (exit, _, error) = await RunAsync("--run", a, "--run", b, "--seeds", "2");

        Assert.Equal(1, exit);
        Assert.Contains("have the same seed 11", error);
    }

    [Fact]
    public async Task Runs_that_differ_in_more_than_their_seed_are_refused_naming_the_setting()
    {
        var a = runs.Create("differ-a", seed: 21);
        var b = runs.Create("differ-b", seed: 22);
        var runJson = Path.Combine(b, "run.json");
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(runJson))!;
        node["config"]!["learning-rate"] = "0.01";
        File.WriteAllText(runJson, node.ToJsonString());

        var (exit, _, error) = await RunAsync("--run", a, "--run", b, "--seeds", "2");

        Assert.Equal(1, exit);
        Assert.Contains("has 'learning-rate' = '0.01'", error);
        Assert.Contains("may differ in their seed only", error);
    }

    private static string Scores(JsonElement root) =>
        root.GetProperty("datasets").GetRawText() + root.GetProperty("overall").GetRawText();

    private void AssertCentralCheckpointHoldsTheCentralModel(string compare)
    {
        var checkpoint = Path.Combine(compare, CentralTrainer.CheckpointFolderName);
        Assert.True(File.Exists(Path.Combine(checkpoint, TrainConfigJson.FileName)), "train_config.json");
        // Trained and saved with the run's normalization (pooled over both nodes), not the first node's own.
        var stats = ProcessorPipelineReader.ReadNormalization(checkpoint).Stats;
        var pooled = Zk0.Federation.Normalization.NormalizationStatistics.Parse(runs.PooledNormalization).Of("observation.state")!;
        Assert.Equal(pooled.Mean.Select(v => (float)v), stats["observation.state.mean"]);
        using (var data = new LeRobotPolicyDatasetSource(new PolicyDataOptions()).Open(runs.DatasetUris[0], DatasetSplit.Train))
            Assert.NotEqual(CheckpointNormalization.FromDataset(data.Features, data.Normalization!).Stats["observation.state.mean"], stats["observation.state.mean"]);

        var reloaded = Path.Combine(compare, "reloaded.safetensors");
        var settings = TinyRunFolder.Config(policyPath: checkpoint);
        using (var policy = new SmolVlaPolicyFactory().Create(new PolicyCreateOptions(Features(), settings, Seed: 1)))
            policy.ExportTrainable(reloaded);
        Assert.Equal(File.ReadAllBytes(Path.Combine(compare, CentralTrainer.TrainableFileName)), File.ReadAllBytes(reloaded));
    }

    private PolicyFeatures Features()
    {
        using var data = new LeRobotPolicyDatasetSource(new PolicyDataOptions()).Open(runs.DatasetUris[0], DatasetSplit.Train);
        return data.Features;
    }
}
