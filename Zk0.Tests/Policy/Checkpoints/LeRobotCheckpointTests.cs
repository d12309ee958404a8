using System.Text.Json.Nodes;
using TorchSharp;
using Zk0.Policy.Checkpoints;
using Zk0.Tests.Federation.Safetensors;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.Checkpoints;

public class LeRobotCheckpointTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("zk0-checkpoint-").FullName;

    private string CheckpointPath => Path.Combine(_root, "pretrained_model");

    private static JsonObject Config() => new()
    {
        ["type"] = "smolvla",
        ["chunk_size"] = 5,
        ["resize_imgs_with_padding"] = new JsonArray(64, 64),
    };

    private static Dictionary<string, Tensor> Weights() => new()
    {
        ["model.state_proj.weight"] = torch.randn(8, 4),
        ["model.state_proj.bias"] = torch.randn(8),
        ["model.vlm_with_expert.lm_expert.layers.0.self_attn.q_proj.weight"] = torch.randn(6, 6).to(ScalarType.BFloat16),
        ["model.buffer.mask"] = torch.tensor(new[] { true, false }),
    };

    [Fact]
    public void ASavedCheckpointOpensWithTheSameConfigAndIdenticalTensors()
    {
        using var scope = torch.NewDisposeScope();
        var weights = Weights();

        LeRobotCheckpoint.Save(CheckpointPath, Config(), weights);
        using var checkpoint = LeRobotCheckpoint.Open(CheckpointPath);
        var loaded = checkpoint.LoadAll();

        Assert.Equal("smolvla", (string?)checkpoint.Config["type"]);
        Assert.Equal(5, (int?)checkpoint.Config["chunk_size"]);
        Assert.Equal("pt", checkpoint.Weights.Metadata["format"]);
        Assert.Equal(weights.Keys.Order(), loaded.Keys.Order());
        foreach (var (key, original) in weights)
        {
            Assert.Equal(original.dtype, loaded[key].dtype);
            Assert.Equal(original.shape, loaded[key].shape);
            Assert.Equal(original.bytes.ToArray(), loaded[key].bytes.ToArray());
        }
    }

    [Fact]
    public void LoadIntoCopiesValuesIntoModelTensorsConvertingDType()
    {
        using var scope = torch.NewDisposeScope();
        var weights = Weights();
        LeRobotCheckpoint.Save(CheckpointPath, Config(), weights);
        var model = weights.ToDictionary(p => p.Key, p => torch.zeros_like(p.Value).to(p.Value.dtype == ScalarType.Bool ? ScalarType.Bool : ScalarType.Float32));

        using var checkpoint = LeRobotCheckpoint.Open(CheckpointPath);
        checkpoint.LoadInto(model);

        foreach (var (key, original) in weights)
        {
            Assert.True(model[key].equal(original.to(model[key].dtype)).all().item<bool>(), key);
        }
    }

    [Fact]
    public void AShapeMismatchNamesTheKeyThePathAndBothShapesAndChangesNothing()
    {
        using var scope = torch.NewDisposeScope();
        LeRobotCheckpoint.Save(CheckpointPath, Config(), Weights());
        var model = Weights().ToDictionary(p => p.Key, p => torch.zeros_like(p.Value));
        model["model.state_proj.weight"] = torch.zeros(8, 32);

        using var checkpoint = LeRobotCheckpoint.Open(CheckpointPath);
        var error = Assert.Throws<InvalidDataException>(() => checkpoint.LoadInto(model));

        Assert.Contains("'model.state_proj.weight'", error.Message);
        Assert.Contains("[8, 4]", error.Message);
        Assert.Contains("[8, 32]", error.Message);
        Assert.Contains(checkpoint.WeightsPath, error.Message);
        Assert.Equal(0f, model["model.state_proj.bias"].abs().sum().item<float>());
    }

    [Fact]
    public void AMissingKeyIsNamedAndUnexpectedKeysAreReportedOnlyWhenStrict()
    {
        using var scope = torch.NewDisposeScope();
        LeRobotCheckpoint.Save(CheckpointPath, Config(), Weights());
        using var checkpoint = LeRobotCheckpoint.Open(CheckpointPath);

        var missing = Assert.Throws<InvalidDataException>(() =>
            checkpoint.LoadInto([new("model.action_in_proj.weight", torch.zeros(2))], strict: false));
        Assert.Contains("missing tensors: 'model.action_in_proj.weight'", missing.Message);

        var unexpected = Assert.Throws<InvalidDataException>(() =>
            checkpoint.LoadInto([new("model.state_proj.bias", torch.zeros(8))]));
        Assert.Contains("unexpected", unexpected.Message);
        Assert.Contains("'model.buffer.mask'", unexpected.Message);

        checkpoint.LoadInto([new("model.state_proj.bias", torch.zeros(8))], strict: false);
        var single = Assert.Throws<KeyNotFoundException>(() => checkpoint.Load("model.nothing"));
        Assert.Contains("'model.nothing'", single.Message);
    }

    [Fact]
    public void OpeningAMissingDirectoryOrFileNamesThePath()
    {
        Assert.Contains(CheckpointPath, Assert.Throws<DirectoryNotFoundException>(() => LeRobotCheckpoint.Open(CheckpointPath)).Message);

        Directory.CreateDirectory(CheckpointPath);
        var noConfig = Assert.Throws<FileNotFoundException>(() => LeRobotCheckpoint.Open(CheckpointPath));
        Assert.Contains("config.json", noConfig.Message);

        File.WriteAllText(Path.Combine(CheckpointPath, "config.json"), "{\"type\": \"smolvla\"}");
        var noWeights = Assert.Throws<FileNotFoundException>(() => LeRobotCheckpoint.Open(CheckpointPath));
        Assert.Contains("model.safetensors", noWeights.Message);

        File.WriteAllText(Path.Combine(CheckpointPath, "config.json"), "{\"type\": ");
        var badConfig = Assert.Throws<InvalidDataException>(() => LeRobotCheckpoint.Open(CheckpointPath));
        Assert.Contains("config.json", badConfig.Message);
    }

    [Fact]
    public void ATruncatedWeightsFileIsRejectedNamingTheCutTensor()
    {
        using var scope = torch.NewDisposeScope();
        LeRobotCheckpoint.Save(CheckpointPath, Config(), Weights());
        var weightsPath = Path.Combine(CheckpointPath, "model.safetensors");
        File.WriteAllBytes(weightsPath, File.ReadAllBytes(weightsPath)[..^1]);

        var error = Assert.Throws<Zk0.Federation.Safetensors.SafetensorsFormatException>(() => LeRobotCheckpoint.Open(CheckpointPath));

        Assert.Contains("truncated", error.Message);
        Assert.Contains("'model.buffer.mask'", error.Message);
    }

    [Fact]
    public void ASaveThatFailsMidwayLeavesThePreviousCheckpointWhole()
    {
        using var scope = torch.NewDisposeScope();
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(CheckpointPath).FullName, "tokenizer.json"), "{}");
        LeRobotCheckpoint.Save(CheckpointPath, Config(), Weights());
        var configBefore = File.ReadAllBytes(Path.Combine(CheckpointPath, "config.json"));
        var weightsBefore = File.ReadAllBytes(Path.Combine(CheckpointPath, "model.safetensors"));

        // A meta tensor has a shape and a dtype but no data: the writer fails once it reaches its bytes.
        var failing = Weights();
        failing["model.z_last"] = torch.empty([1000], device: torch.META);
        Assert.ThrowsAny<Exception>(() => LeRobotCheckpoint.Save(CheckpointPath, Config(), failing));

        Assert.Equal(configBefore, File.ReadAllBytes(Path.Combine(CheckpointPath, "config.json")));
        Assert.Equal(weightsBefore, File.ReadAllBytes(Path.Combine(CheckpointPath, "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(CheckpointPath, "tokenizer.json")));
        Assert.Equal(["pretrained_model"], Directory.GetDirectories(_root).Select(Path.GetFileName));
    }

    [Fact]
    public void SavingOverACheckpointKeepsItsOtherFiles()
    {
        using var scope = torch.NewDisposeScope();
        LeRobotCheckpoint.Save(CheckpointPath, Config(), Weights());
        File.WriteAllText(Path.Combine(CheckpointPath, "policy_preprocessor.json"), "{\"steps\": []}");

        LeRobotCheckpoint.Save(CheckpointPath, Config(), Weights());

        Assert.Equal("{\"steps\": []}", File.ReadAllText(Path.Combine(CheckpointPath, "policy_preprocessor.json")));
        Assert.Equal(["pretrained_model"], Directory.GetDirectories(_root).Select(Path.GetFileName));
    }

    [Fact]
    public void TheFixtureModelLoadsIntoTensorsOfItsOwnShapes()
    {
        using var scope = torch.NewDisposeScope();
        var directory = Path.GetDirectoryName(SharedFixtures.SmolVla("model.safetensors"))!;

        using var checkpoint = LeRobotCheckpoint.Open(directory);
        var model = checkpoint.Tensors.ToDictionary(t => t.Name, t => torch.zeros(t.Shape));
        checkpoint.LoadInto(model);

        Assert.Equal(124, model.Count);
        Assert.Equal(-0.005585928447544575f, model["model.action_in_proj.bias"][0].item<float>());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
