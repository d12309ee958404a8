using Zk0.Policy.Abstractions;
using Zk0.Policy.Checkpoints;
using Zk0.Tests.Policy.BehaviourCloning;
using Zk0.Tests.Policy.SmolVla.Federation;

namespace Zk0.Tests.Policy.Checkpoints;

/// <summary>A global model blob (trainable tensors only) becomes the checkpoint the node's whole policy would have saved.</summary>
public sealed class GlobalModelCheckpointTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("zk0-global-ckpt-");

    public void Dispose() => _work.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_work.FullName, name);

    [Fact]
    public void A_behaviour_cloning_global_model_loads_back_through_policy_path_with_the_blobs_tensors()
    {
        var config = new Dictionary<string, string> { ["policy"] = "bc", ["seed"] = "7" };
        using var trained = Trained(TinyPolicyData.CreatePolicy(seed: 7));
        trained.ExportTrainable(PathOf("global.safetensors"));

        using (var checkpoint = new GlobalModelCheckpoint(PolicyCatalog.Builtin(), config, TinyPolicyData.Features))
            checkpoint.Write(PathOf("global.safetensors"), PathOf("export"), new Dictionary<string, string> { ["README.md"] = "# card" });

        using var loaded = CreateAsNodesDo(new Dictionary<string, string>(config) { [RunSettings.PolicyPathKey] = PathOf("export") }, seed: 99);
        TrainableTensorsAssert.Same(trained, loaded);
        Assert.Equal("# card", File.ReadAllText(Path.Combine(PathOf("export"), "README.md")));
    }

    [Fact]
    public void A_SmolVla_global_model_gives_the_full_checkpoint_the_nodes_policy_saves_frozen_tensors_included()
    {
        var config = TinySmolVla.Settings(("policy", "smolvla"), ("seed", "3"));
        using var node = Trained(TinySmolVla.Create(seed: 3, TinySmolVla.Settings()));
        node.ExportTrainable(PathOf("global.safetensors"));
        node.SaveCheckpoint(PathOf("node"));

        using (var checkpoint = new GlobalModelCheckpoint(PolicyCatalog.Builtin(), config, TinyPolicyData.Features))
            checkpoint.Write(PathOf("global.safetensors"), PathOf("export"), new Dictionary<string, string>());

        Assert.Equal(File.ReadAllBytes(Path.Combine(PathOf("node"), "model.safetensors")), File.ReadAllBytes(Path.Combine(PathOf("export"), "model.safetensors")));
        using var loaded = CreateAsNodesDo(new Dictionary<string, string>(config) { [RunSettings.PolicyPathKey] = PathOf("export") }, seed: 42);
        TrainableTensorsAssert.Same(node, loaded);
    }

    [Fact]
    public void With_the_loaders_normalization_the_export_has_LeRobots_processor_files_and_train_config()
    {
        var config = TinySmolVla.Settings(("policy", "smolvla"), ("seed", "3"), ("batch-size", "6"));
        var normalization = TinyNormalization.Create();
        using var node = TinySmolVla.Create(seed: 3, TinySmolVla.Settings());
        node.ExportTrainable(PathOf("global.safetensors"));

        using (var checkpoint = new GlobalModelCheckpoint(PolicyCatalog.Builtin(), config, TinyPolicyData.Features, normalization))
            checkpoint.Write(PathOf("global.safetensors"), PathOf("export"), new Dictionary<string, string>());

        TinyNormalization.AssertSame(normalization, CheckpointNormalizationReader.Read(PathOf("export")));
        var trainConfig = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(PathOf("export"), "train_config.json")))!;
        Assert.Equal(6, trainConfig["batch_size"]!.GetValue<int>());
        Assert.Equal(3, trainConfig["seed"]!.GetValue<long>());
        Assert.Null(trainConfig["dataset"]!["repo_id"]);
        using var loaded = CreateAsNodesDo(new Dictionary<string, string>(config) { [RunSettings.PolicyPathKey] = PathOf("export") }, seed: 42);
        TrainableTensorsAssert.Same(node, loaded);
    }

    [Fact]
    public void Each_model_written_through_one_instance_gets_its_own_tensors()
    {
        var config = new Dictionary<string, string> { ["policy"] = "bc", ["seed"] = "7" };
        using var first = TinyPolicyData.CreatePolicy(seed: 1);
        using var second = TinyPolicyData.CreatePolicy(seed: 2);
        first.ExportTrainable(PathOf("first.safetensors"));
        second.ExportTrainable(PathOf("second.safetensors"));

        using (var checkpoint = new GlobalModelCheckpoint(PolicyCatalog.Builtin(), config, TinyPolicyData.Features))
        {
            checkpoint.Write(PathOf("first.safetensors"), PathOf("round-1"), new Dictionary<string, string>());
            checkpoint.Write(PathOf("second.safetensors"), PathOf("round-2"), new Dictionary<string, string>());
        }

        using var loaded = CreateAsNodesDo(new Dictionary<string, string>(config) { [RunSettings.PolicyPathKey] = PathOf("round-2") }, seed: 99);
        TrainableTensorsAssert.Same(second, loaded);
    }

    [Fact]
    public void A_blob_of_another_policy_shape_is_refused_naming_the_file()
    {
        using (var other = TinySmolVla.Create(seed: 1)) other.ExportTrainable(PathOf("smolvla.safetensors"));
        using var checkpoint = new GlobalModelCheckpoint(PolicyCatalog.Builtin(), new Dictionary<string, string> { ["policy"] = "bc" }, TinyPolicyData.Features);

        var error = Assert.ThrowsAny<Exception>(() => checkpoint.Write(PathOf("smolvla.safetensors"), PathOf("export"), new Dictionary<string, string>()));

        Assert.Contains("smolvla.safetensors", error.Message);
        Assert.False(Directory.Exists(PathOf("export")));
    }

    private static IFederatedPolicy Trained(IFederatedPolicy policy)
    {
        using var data = TinyPolicyData.Create(samples: 8, seed: 2);
        policy.Train(data.ShuffledBatches(4, seed: 3), new LocalTrainingOptions { Steps = 2, LearningRate = 1e-2 });
        return policy;
    }

    private static IFederatedPolicy CreateAsNodesDo(Dictionary<string, string> config, long seed)
    {
        var settings = RunSettings.From(config);
        return PolicyCatalog.Builtin().Create(settings.PolicyType, new PolicyCreateOptions(TinyPolicyData.Features, settings.Raw, seed));
    }
}
