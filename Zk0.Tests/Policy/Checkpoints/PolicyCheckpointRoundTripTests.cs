using Zk0.Policy.Abstractions;
using Zk0.Policy.Checkpoints;
using Zk0.Tests.Policy.BehaviourCloning;
using Zk0.Tests.Policy.SmolVla.Federation;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.Checkpoints;

/// <summary>A saved checkpoint directory starts a run's policy (policy-path) with exactly the saved weights.</summary>
public sealed class PolicyCheckpointRoundTripTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("zk0-policy-ckpt-");

    public void Dispose() => _work.Delete(recursive: true);

    private string Dir(string name) => Path.Combine(_work.FullName, name);

    private static Dictionary<string, string> WithPath(Dictionary<string, string> settings, string directory) =>
        new(settings) { [RunSettings.PolicyPathKey] = directory };

    [Fact]
    public void Behaviour_cloning_checkpoint_loads_back_with_identical_tensors()
    {
        using var trained = TinyPolicyData.CreatePolicy(seed: 1);
        using (var data = TinyPolicyData.Create(samples: 12, seed: 2))
            trained.Train(data.ShuffledBatches(4, seed: 3), new LocalTrainingOptions { Steps = 3, LearningRate = 1e-2 });
        trained.SaveCheckpoint(Dir("bc"));

        using var loaded = TinyPolicyData.CreatePolicy(seed: 99, WithPath([], Dir("bc")));
        AssertSameTensors(trained, loaded);
        loaded.SaveCheckpoint(Dir("bc-again"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(Dir("bc"), "model.safetensors")), File.ReadAllBytes(Path.Combine(Dir("bc-again"), "model.safetensors")));
        Assert.Equal(File.ReadAllText(Path.Combine(Dir("bc"), "config.json")), File.ReadAllText(Path.Combine(Dir("bc-again"), "config.json")));
    }

    [Fact]
    public void Small_SmolVla_checkpoint_holds_the_full_state_dict_and_loads_back_exactly()
    {
        using var original = TinySmolVla.Create(seed: 1);
        using (var data = TinyPolicyData.Create(samples: 8, seed: 2))
            original.Train(data.ShuffledBatches(4, seed: 3), TinySmolVla.Training(steps: 2));
        original.SaveCheckpoint(Dir("smolvla"));

        using (var checkpoint = LeRobotCheckpoint.Open(Dir("smolvla")))
        {
            Assert.Equal("smolvla", checkpoint.Config["type"]?.GetValue<string>());
            Assert.True(checkpoint.Tensors.Count > original.TrainableTensors.Count, "the checkpoint must hold the frozen VLM too, not only the trainable tensors");
            Assert.Contains(checkpoint.Tensors, t => t.Name.StartsWith("model.vlm_with_expert.vlm.", StringComparison.Ordinal));
        }

        using var loaded = TinySmolVla.Create(seed: 42, WithPath(TinySmolVla.Settings(), Dir("smolvla")));
        AssertSameTensors(original, loaded);
        loaded.SaveCheckpoint(Dir("smolvla-again"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(Dir("smolvla"), "model.safetensors")), File.ReadAllBytes(Path.Combine(Dir("smolvla-again"), "model.safetensors")));

        using var data2 = TinyPolicyData.Create(samples: 8, seed: 5);
        using var data3 = TinyPolicyData.Create(samples: 8, seed: 5);
        var before = original.Evaluate(data2.SequentialBatches(4), new PolicyEvaluationOptions(Seed: 1)).Loss;
        var after = loaded.Evaluate(data3.SequentialBatches(4), new PolicyEvaluationOptions(Seed: 1)).Loss;
        Assert.Equal(before, after);
    }

    [Theory]
    [InlineData("model.safetensors")]
    [InlineData("config.json")]
    public void A_missing_file_is_an_error_naming_it(string file)
    {
        using (var policy = TinyPolicyData.CreatePolicy(seed: 1)) policy.SaveCheckpoint(Dir("bc"));
        File.Delete(Path.Combine(Dir("bc"), file));

        var error = Assert.ThrowsAny<IOException>(() => TinyPolicyData.CreatePolicy(seed: 1, WithPath([], Dir("bc"))));
        Assert.Contains(file, error.Message);
    }

    [Fact]
    public void A_truncated_weights_file_is_an_error_naming_it()
    {
        using (var policy = TinyPolicyData.CreatePolicy(seed: 1)) policy.SaveCheckpoint(Dir("bc"));
        var weights = Path.Combine(Dir("bc"), "model.safetensors");
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length / 2)]);

        var error = Assert.ThrowsAny<Exception>(() => TinyPolicyData.CreatePolicy(seed: 1, WithPath([], Dir("bc"))));
        Assert.Contains(weights, error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void A_corrupt_config_is_an_error_naming_it()
    {
        using (var policy = TinySmolVla.Create(seed: 1)) policy.SaveCheckpoint(Dir("smolvla"));
        var config = Path.Combine(Dir("smolvla"), "config.json");
        File.WriteAllText(config, "{ not json");

        var error = Assert.Throws<InvalidDataException>(() => TinySmolVla.Create(seed: 1, WithPath(TinySmolVla.Settings(), Dir("smolvla"))));
        Assert.Contains(config, error.Message);
    }

    [Fact]
    public void A_checkpoint_of_another_policy_type_or_other_data_is_refused_with_the_reason()
    {
        using (var policy = TinySmolVla.Create(seed: 1)) policy.SaveCheckpoint(Dir("smolvla"));
        var wrongType = Assert.Throws<InvalidDataException>(() => TinyPolicyData.CreatePolicy(seed: 1, WithPath([], Dir("smolvla"))));
        Assert.Contains("'smolvla'", wrongType.Message);

        using (var policy = TinyPolicyData.CreatePolicy(seed: 1)) policy.SaveCheckpoint(Dir("bc"));
        var otherFeatures = TinyPolicyData.Features with { ActionDim = 7 };
        var wrongData = Assert.Throws<InvalidDataException>(() => new Zk0.Policy.BehaviourCloning.BehaviourCloningPolicyFactory().Create(
            new PolicyCreateOptions(otherFeatures, WithPath([], Dir("bc")), 1)));
        Assert.Contains("output_features", wrongData.Message);
    }

    [Fact]
    public void A_behaviour_cloning_checkpoint_from_before_the_instruction_loads_without_it_and_a_bad_width_is_named()
    {
        using (var policy = TinyPolicyData.CreatePolicy(seed: 1, new() { ["bc-instruction-features"] = "0" })) policy.SaveCheckpoint(Dir("bc-old"));
        var config = Path.Combine(Dir("bc-old"), "config.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(config))!.AsObject();
        json.Remove("instruction_features");
        File.WriteAllText(config, json.ToJsonString());

        using (var old = TinyPolicyData.CreatePolicy(seed: 2, WithPath([], Dir("bc-old"))))
            Assert.DoesNotContain(old.TrainableTensors, t => t.Name.StartsWith("instruction.", StringComparison.Ordinal));

        json["instruction_features"] = -3;
        File.WriteAllText(config, json.ToJsonString());
        var error = Assert.Throws<InvalidDataException>(() => TinyPolicyData.CreatePolicy(seed: 2, WithPath([], Dir("bc-old"))));
        Assert.Contains("'instruction_features' as a whole number of 0 or more", error.Message);
        Assert.Contains(config, error.Message);
    }

    private static void AssertSameTensors(IFederatedPolicy expected, IFederatedPolicy actual)
    {
        Assert.Equal(expected.TrainableTensors.Select(t => t.Name), actual.TrainableTensors.Select(t => t.Name));
        foreach (var ((name, e), (_, a)) in expected.TrainableTensors.Zip(actual.TrainableTensors))
        {
            using var scope = NewDisposeScope();
            Assert.True(e.shape.SequenceEqual(a.shape), $"{name}: shapes differ");
            Assert.True(e.eq(a).all().item<bool>(), $"{name}: values differ after the round trip");
        }
    }
}
