using Zk0.Policy.Abstractions;
using Zk0.Policy.Checkpoints;
using Zk0.Tests.Policy.BehaviourCloning;
using Zk0.Tests.Policy.SmolVla.Federation;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.Checkpoints;

/// <summary>A checkpoint of LeRobot before 0.4 (normalization buffers inside model.safetensors) loads as the same policy and normalization.</summary>
public sealed class LegacyNormalizationLayoutTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("zk0-legacy-layout-");

    public void Dispose() => _work.Delete(recursive: true);

    private string Dir(string name) => Path.Combine(_work.FullName, name);

    /// <summary>Rewrites a saved checkpoint in the old layout: its weights plus the buffers older LeRobot kept beside them.</summary>
    private static void AddLegacyBuffers(string directory, CheckpointNormalization normalization)
    {
        using var scope = NewDisposeScope();
        System.Text.Json.Nodes.JsonObject config;
        Dictionary<string, Tensor> tensors;
        using (var checkpoint = LeRobotCheckpoint.Open(directory))
        {
            config = checkpoint.Config;
            config["normalization_mapping"] = new System.Text.Json.Nodes.JsonObject { ["VISUAL"] = "IDENTITY", ["STATE"] = "MEAN_STD", ["ACTION"] = "MEAN_STD" };
            tensors = checkpoint.LoadAll();
        }
        foreach (var (key, values) in normalization.Stats)
        {
            var feature = CheckpointNormalization.FeatureOfStat(key);
            var stat = key[(feature.Length + 1)..];
            var modules = feature == "action"
                ? new[] { LegacyNormalizationBuffers.NormalizeTargets, LegacyNormalizationBuffers.UnnormalizeOutputs }
                : [LegacyNormalizationBuffers.NormalizeInputs];
            foreach (var module in modules)
                tensors[LegacyNormalizationBuffers.Key(module, feature, stat)] = tensor(values);
        }
        LeRobotCheckpoint.Save(directory, config, tensors);
    }

    [Fact]
    public void Behaviour_cloning_with_buffers_in_the_weights_loads_the_same_policy_and_normalization()
    {
        var normalization = TinyNormalization.Create();
        using var original = TinyPolicyData.CreatePolicy(seed: 1);
        original.SaveCheckpoint(Dir("bc"));
        AddLegacyBuffers(Dir("bc"), normalization);

        using var loaded = TinyPolicyData.CreatePolicy(seed: 99, new() { [RunSettings.PolicyPathKey] = Dir("bc") });
        TrainableTensorsAssert.Same(original, loaded);
        TinyNormalization.AssertSame(normalization, CheckpointNormalizationReader.Read(Dir("bc")));
    }

    [Fact]
    public void SmolVla_with_buffers_in_the_weights_loads_the_same_policy_and_normalization()
    {
        var normalization = TinyNormalization.Create();
        using var original = TinySmolVla.Create(seed: 1);
        original.SaveCheckpoint(Dir("smolvla"));
        AddLegacyBuffers(Dir("smolvla"), normalization);
        using (var checkpoint = LeRobotCheckpoint.Open(Dir("smolvla")))
            Assert.True(checkpoint.Contains("normalize_inputs.buffer_observation_state.mean"));

        using var loaded = TinySmolVla.Create(seed: 42, TinySmolVla.Settings((RunSettings.PolicyPathKey, Dir("smolvla"))));
        TrainableTensorsAssert.Same(original, loaded);
        TinyNormalization.AssertSame(normalization, CheckpointNormalizationReader.Read(Dir("smolvla")));
    }

    [Fact]
    public void A_missing_buffer_is_an_error_naming_it()
    {
        using (var policy = TinyPolicyData.CreatePolicy(seed: 1)) policy.SaveCheckpoint(Dir("bc"));
        var normalization = TinyNormalization.Create();
        var withoutActionStd = normalization with { Stats = normalization.Stats.Where(s => s.Key != "action.std").ToDictionary() };
        AddLegacyBuffers(Dir("bc"), withoutActionStd);

        var error = Assert.Throws<InvalidDataException>(() => CheckpointNormalizationReader.Read(Dir("bc")));
        Assert.Contains("normalize_targets.buffer_action.std", error.Message);
    }
}
