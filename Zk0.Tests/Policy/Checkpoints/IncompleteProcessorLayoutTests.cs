using Zk0.Policy.Abstractions;
using Zk0.Policy.Checkpoints;
using Zk0.Tests.Policy.BehaviourCloning;
using Zk0.Tests.Policy.SmolVla.Federation;

namespace Zk0.Tests.Policy.Checkpoints;

/// <summary>A checkpoint folder with only part of LeRobot 0.4's processor files is refused, naming what is missing.</summary>
public sealed class IncompleteProcessorLayoutTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("zk0-incomplete-layout-");

    public void Dispose() => _work.Delete(recursive: true);

    private string Dir(string name) => Path.Combine(_work.FullName, name);

    private void WriteBehaviourCloning()
    {
        using var policy = TinyPolicyData.CreatePolicy(seed: 1);
        PolicyCheckpointWriter.Write(policy, Dir("bc"), new Dictionary<string, string>(), new CheckpointTrainingRun(TinyNormalization.Create()));
    }

    [Theory]
    [InlineData("policy_preprocessor_step_3_normalizer_processor.safetensors")]
    [InlineData("policy_postprocessor_step_0_unnormalizer_processor.safetensors")]
    [InlineData("policy_postprocessor.json")]
    public void A_missing_processor_file_stops_loading_with_its_name(string file)
    {
        WriteBehaviourCloning();
        File.Delete(Path.Combine(Dir("bc"), file));

        var error = Assert.ThrowsAny<IOException>(() => TinyPolicyData.CreatePolicy(seed: 1, new() { [RunSettings.PolicyPathKey] = Dir("bc") }));
        Assert.Contains(file, error.Message);
    }

    [Fact]
    public void A_missing_smolvla_state_file_stops_loading_with_its_name()
    {
        using (var policy = TinySmolVla.Create(seed: 1))
            PolicyCheckpointWriter.Write(policy, Dir("smolvla"), new Dictionary<string, string>(), new CheckpointTrainingRun(TinyNormalization.Create()));
        const string file = "policy_preprocessor_step_5_normalizer_processor.safetensors";
        File.Delete(Path.Combine(Dir("smolvla"), file));

        var error = Assert.Throws<FileNotFoundException>(() => TinySmolVla.Create(seed: 1, TinySmolVla.Settings((RunSettings.PolicyPathKey, Dir("smolvla")))));
        Assert.Contains(file, error.Message);
    }

    [Fact]
    public void A_state_file_without_a_needed_statistic_is_an_error_naming_it()
    {
        var normalization = TinyNormalization.Create();
        using (var policy = TinyPolicyData.CreatePolicy(seed: 1))
            PolicyCheckpointWriter.Write(policy, Dir("bc"), new Dictionary<string, string>(),
                new CheckpointTrainingRun(normalization with { Stats = normalization.Stats.Where(s => s.Key != "observation.state.std").ToDictionary() }));

        var error = Assert.Throws<InvalidDataException>(() => CheckpointNormalizationReader.Read(Dir("bc")));
        Assert.Contains("observation.state.std", error.Message);
    }

    [Fact]
    public void A_checkpoint_without_any_normalization_says_so()
    {
        using (var policy = TinyPolicyData.CreatePolicy(seed: 1)) policy.SaveCheckpoint(Dir("bc"));

        var error = Assert.Throws<InvalidDataException>(() => CheckpointNormalizationReader.Read(Dir("bc")));
        Assert.Contains("policy_preprocessor.json", error.Message);
        Assert.Contains("normalization buffers", error.Message);
    }
}
