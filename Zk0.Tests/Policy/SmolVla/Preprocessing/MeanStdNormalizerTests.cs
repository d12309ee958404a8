using TorchSharp;
using Zk0.Policy.Checkpoints;
using Zk0.Policy.SmolVla.Preprocessing;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.SmolVla.Preprocessing;

public class MeanStdNormalizerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("zk0-norm-").FullName;

    private string WriteStatsJson()
    {
        var path = Path.Combine(_directory, "stats.json");
        File.WriteAllText(path, """
            {
              "observation.state": {"mean": [1.0, -2.0], "std": [2.0, 0.5], "min": [0, 0], "max": [3, 3], "count": [10]},
              "action": {"mean": [0.5, 0.5], "std": [0.0, 4.0]}
            }
            """);
        return path;
    }

    [Fact]
    public void NormalizationSubtractsTheMeanAndDividesByStdPlusEpsilon()
    {
        using var scope = torch.NewDisposeScope();
        using var normalizer = MeanStdNormalizer.FromStatsJson(WriteStatsJson(), ["observation.state", "action"]);

        var state = normalizer.Normalize("observation.state", torch.tensor(new[] { 3f, -1f, 1f, -2f }).reshape(2, 2));
        var action = normalizer.Normalize("action", torch.tensor(new[] { 0.5f, 4.5f }).reshape(1, 1, 2));

        Assert.Equal(new[] { 1f, 2f, 0f, 0f }, state.data<float>().ToArray());
        // A zero std divides by 1e-8, exactly as LeRobot does.
        Assert.Equal(new[] { 0f, 1f }, action.data<float>().ToArray());
    }

    [Fact]
    public void UnnormalizationInvertsNormalization()
    {
        using var scope = torch.NewDisposeScope();
        using var normalizer = MeanStdNormalizer.FromStatsJson(WriteStatsJson(), ["observation.state"]);
        var original = torch.randn(4, 3, 2);

        var back = normalizer.Unnormalize("observation.state", normalizer.Normalize("observation.state", original));

        Assert.True(back.allclose(original, rtol: 1e-6, atol: 1e-6));
    }

    [Fact]
    public void StatisticsLoadFromAProcessorSafetensorsFile()
    {
        using var scope = torch.NewDisposeScope();
        var path = Path.Combine(_directory, "policy_preprocessor_step_3_normalizer_processor.safetensors");
        SafetensorsTorch.Save(path, [new("action.mean", torch.tensor(new[] { 1f, 2f })), new("action.std", torch.tensor(new[] { 1f, 1f }))]);
        using var normalizer = MeanStdNormalizer.FromSafetensors(path, ["action"]);

        var unnormalized = normalizer.Unnormalize("action", torch.zeros(1, 2));

        Assert.Equal(new[] { 1f, 2f }, unnormalized.data<float>().ToArray());
        Assert.Contains("'observation.state.mean'", Assert.Throws<KeyNotFoundException>(() => MeanStdNormalizer.FromSafetensors(path, ["observation.state"])).Message);
    }

    [Fact]
    public void MissingFeaturesAndMismatchedShapesAreNamed()
    {
        using var scope = torch.NewDisposeScope();
        var path = WriteStatsJson();

        Assert.Contains("'observation.velocity'", Assert.Throws<KeyNotFoundException>(() => MeanStdNormalizer.FromStatsJson(path, ["observation.velocity"])).Message);
        using var normalizer = MeanStdNormalizer.FromStatsJson(path, ["action"]);
        Assert.Contains("'observation.state'", Assert.Throws<KeyNotFoundException>(() => normalizer.Normalize("observation.state", torch.zeros(2))).Message);
        var shape = Assert.Throws<ArgumentException>(() => normalizer.Normalize("action", torch.zeros(1, 6)));
        Assert.Contains("'action'", shape.Message);
        Assert.Contains("[1, 6]", shape.Message);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
