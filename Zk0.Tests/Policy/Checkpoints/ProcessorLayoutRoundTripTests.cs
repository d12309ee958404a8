using System.Text.Json.Nodes;
using Zk0.Federation.Safetensors;
using Zk0.Policy.Abstractions;
using Zk0.Policy.Checkpoints;
using Zk0.Tests.Policy.BehaviourCloning;
using Zk0.Tests.Policy.SmolVla.Federation;

namespace Zk0.Tests.Policy.Checkpoints;

/// <summary>Both policies written in LeRobot 0.4's layout (processor pipelines, train config) and read back from it.</summary>
public sealed class ProcessorLayoutRoundTripTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("zk0-processor-layout-");

    public void Dispose() => _work.Delete(recursive: true);

    private string Dir(string name) => Path.Combine(_work.FullName, name);

    private static readonly Dictionary<string, string> RunConfig = new() { ["seed"] = "7", ["batch-size"] = "4", ["local-steps"] = "20", ["learning-rate"] = "0.0005" };

    private static CheckpointTrainingRun Run(CheckpointNormalization normalization) =>
        new(normalization, RunSettings.From(RunConfig), DatasetRepoId: "synth:tiny");

    private static JsonObject Json(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();

    [Fact]
    public void Behaviour_cloning_round_trips_with_the_same_tensors_and_normalization()
    {
        var normalization = TinyNormalization.Create();
        using var original = TinyPolicyData.CreatePolicy(seed: 1);
        PolicyCheckpointWriter.Write(original, Dir("bc"), new Dictionary<string, string>(), Run(normalization));

        using var loaded = TinyPolicyData.CreatePolicy(seed: 99, new() { [RunSettings.PolicyPathKey] = Dir("bc") });
        TrainableTensorsAssert.Same(original, loaded);
        TinyNormalization.AssertSame(normalization, CheckpointNormalizationReader.Read(Dir("bc")));

        var preprocessor = Json(Path.Combine(Dir("bc"), "policy_preprocessor.json"));
        Assert.Equal(["rename_observations_processor", "to_batch_processor", "device_processor", "normalizer_processor"],
            preprocessor["steps"]!.AsArray().Select(s => s!["registry_name"]!.GetValue<string>()));
        Assert.Equal("policy_preprocessor_step_3_normalizer_processor.safetensors", preprocessor["steps"]![3]!["state_file"]!.GetValue<string>());
    }

    [Fact]
    public void SmolVla_round_trips_and_writes_the_files_LeRobot_loads()
    {
        var normalization = TinyNormalization.Create();
        using var original = TinySmolVla.Create(seed: 1);
        PolicyCheckpointWriter.Write(original, Dir("smolvla"), new Dictionary<string, string>(), Run(normalization));

        using var loaded = TinySmolVla.Create(seed: 42, TinySmolVla.Settings((RunSettings.PolicyPathKey, Dir("smolvla"))));
        TrainableTensorsAssert.Same(original, loaded);
        TinyNormalization.AssertSame(normalization, CheckpointNormalizationReader.Read(Dir("smolvla")));

        var preprocessor = Json(Path.Combine(Dir("smolvla"), "policy_preprocessor.json"));
        Assert.Equal("policy_preprocessor", preprocessor["name"]!.GetValue<string>());
        var steps = preprocessor["steps"]!.AsArray();
        Assert.Equal(
            ["rename_observations_processor", "to_batch_processor", "smolvla_new_line_processor", "tokenizer_processor", "device_processor", "normalizer_processor"],
            steps.Select(s => s!["registry_name"]!.GetValue<string>()));
        var normalizer = steps[5]!.AsObject();
        Assert.Equal("policy_preprocessor_step_5_normalizer_processor.safetensors", normalizer["state_file"]!.GetValue<string>());
        Assert.Equal(["observation.images.front", "observation.state", "action"], normalizer["config"]!["features"]!.AsObject().Select(p => p.Key));
        Assert.Equal("STATE", normalizer["config"]!["features"]!["observation.state"]!["type"]!.GetValue<string>());
        Assert.Equal("MEAN_STD", normalizer["config"]!["norm_map"]!["ACTION"]!.GetValue<string>());
        Assert.Equal("IDENTITY", normalizer["config"]!["norm_map"]!["VISUAL"]!.GetValue<string>());
        Assert.Equal(1e-8, normalizer["config"]!["eps"]!.GetValue<double>());
        Assert.Equal("HuggingFaceTB/SmolVLM2-500M-Video-Instruct", steps[3]!["config"]!["tokenizer_name"]!.GetValue<string>());
        using (var state = SafetensorsFile.Open(Path.Combine(Dir("smolvla"), "policy_preprocessor_step_5_normalizer_processor.safetensors")))
            Assert.Equal(["action.mean", "action.std", "observation.state.mean", "observation.state.std"], state.Tensors.Select(t => t.Name).Order());

        var postprocessor = Json(Path.Combine(Dir("smolvla"), "policy_postprocessor.json"));
        var unnormalizer = postprocessor["steps"]![0]!.AsObject();
        Assert.Equal("unnormalizer_processor", unnormalizer["registry_name"]!.GetValue<string>());
        Assert.Equal("policy_postprocessor_step_0_unnormalizer_processor.safetensors", unnormalizer["state_file"]!.GetValue<string>());
        Assert.Equal(["action"], unnormalizer["config"]!["features"]!.AsObject().Select(p => p.Key));
        Assert.Equal("device_processor", postprocessor["steps"]![1]!["registry_name"]!.GetValue<string>());
        using (var state = SafetensorsFile.Open(Path.Combine(Dir("smolvla"), unnormalizer["state_file"]!.GetValue<string>())))
            Assert.Equal(["action.mean", "action.std"], state.Tensors.Select(t => t.Name).Order());

        var trainConfig = Json(Path.Combine(Dir("smolvla"), "train_config.json"));
        Assert.True(JsonNode.DeepEquals(Json(Path.Combine(Dir("smolvla"), "config.json")), trainConfig["policy"]));
        Assert.Equal(7, trainConfig["seed"]!.GetValue<long>());
        Assert.Equal(4, trainConfig["batch_size"]!.GetValue<int>());
        Assert.Equal("synth:tiny", trainConfig["dataset"]!["repo_id"]!.GetValue<string>());
        Assert.Equal(0.0005, trainConfig["optimizer"]!["lr"]!.GetValue<double>());
        Assert.Equal("cosine_decay_with_warmup", trainConfig["scheduler"]!["type"]!.GetValue<string>());
        Assert.Equal(20, trainConfig["scheduler"]!["num_decay_steps"]!.GetValue<int>());
        Assert.Null(trainConfig["steps"]);
    }

    [Fact]
    public void Pipelines_saved_without_statistics_load_with_none()
    {
        using var original = TinyPolicyData.CreatePolicy(seed: 1);
        PolicyCheckpointWriter.Write(original, Dir("bc"), new Dictionary<string, string>(), Run(TinyNormalization.Create()));
        foreach (var pipeline in new[] { "policy_preprocessor", "policy_postprocessor" })
        {
            var path = Path.Combine(Dir("bc"), pipeline + ".json");
            var json = Json(path);
            foreach (var step in json["steps"]!.AsArray())
            {
                if (step!["state_file"]?.GetValue<string>() is { } stateFile) File.Delete(Path.Combine(Dir("bc"), stateFile));
                step.AsObject().Remove("state_file");
            }
            File.WriteAllText(path, json.ToJsonString());
        }

        Assert.Empty(CheckpointNormalizationReader.Read(Dir("bc")).Stats);
        using var loaded = TinyPolicyData.CreatePolicy(seed: 99, new() { [RunSettings.PolicyPathKey] = Dir("bc") });
        TrainableTensorsAssert.Same(original, loaded);
    }

    [Fact]
    public void Model_weights_carry_no_normalization_buffers()
    {
        using var policy = TinySmolVla.Create(seed: 1);
        PolicyCheckpointWriter.Write(policy, Dir("smolvla"), new Dictionary<string, string>(), Run(TinyNormalization.Create()));

        using var checkpoint = LeRobotCheckpoint.Open(Dir("smolvla"));
        Assert.False(LegacyNormalizationBuffers.HasBuffers(checkpoint));
    }
}
