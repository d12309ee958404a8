using System.Text.Json.Nodes;
using Zk0.Federation.Safetensors;
using Zk0.Policy.Abstractions;
using Zk0.Policy.Checkpoints;
using Zk0.Policy.SmolVla.Checkpoint;
using Zk0.Tests.Policy.SmolVla.Federation;

namespace Zk0.Tests.Policy.Checkpoints;

/// <summary>The small SmolVLA's checkpoint describes its own geometry, not SmolVLM2-500M's.</summary>
public sealed class SmallSmolVlaConfigGeometryTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("zk0-small-geometry-");

    public void Dispose() => _work.Delete(recursive: true);

    private string Dir => Path.Combine(_work.FullName, "smolvla");

    private static JsonObject Json(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();

    [Fact]
    public void Config_names_the_saved_small_vlm_geometry_instead_of_the_500M_model()
    {
        using (var policy = TinySmolVla.Create(seed: 1)) policy.SaveCheckpoint(Dir);

        var config = Json(Path.Combine(Dir, "config.json"));
        Assert.Equal(SmallVlmGeometry.FolderName, config["vlm_model_name"]!.GetValue<string>());
        Assert.False(config["load_vlm_weights"]!.GetValue<bool>());
        Assert.Equal(2, config["num_vlm_layers"]!.GetValue<int>());
        Assert.Equal(0.75, config["expert_width_multiplier"]!.GetValue<double>());
        Assert.Equal([32, 32], config["resize_imgs_with_padding"]!.AsArray().Select(v => v!.GetValue<int>()));

        var vlm = Json(Path.Combine(Dir, "smolvlm", "config.json"));
        Assert.Equal("smolvlm", vlm["model_type"]!.GetValue<string>());
        Assert.Equal(32, vlm["text_config"]!["hidden_size"]!.GetValue<int>());
        Assert.Equal(2, vlm["text_config"]!["num_hidden_layers"]!.GetValue<int>());
        Assert.Equal(4, vlm["text_config"]!["num_attention_heads"]!.GetValue<int>());
        Assert.Equal(32, vlm["vision_config"]!["image_size"]!.GetValue<int>());

        // The expert's width in the weights is 0.75 of the VLM's, as config.json says.
        using var checkpoint = LeRobotCheckpoint.Open(Dir);
        Assert.True(checkpoint.Weights.TryGetInfo("model.vlm_with_expert.lm_expert.norm.weight", out var expertNorm));
        Assert.Equal([24L], expertNorm.Shape);
    }

    [Fact]
    public void The_geometry_folder_alone_rebuilds_the_model()
    {
        using var original = TinySmolVla.Create(seed: 1);
        original.SaveCheckpoint(Dir);
        // Drop the safetensors metadata copy so only smolvlm/config.json describes the VLM.
        JsonObject config;
        Dictionary<string, TorchSharp.torch.Tensor> tensors;
        using (var checkpoint = LeRobotCheckpoint.Open(Dir))
        {
            config = checkpoint.Config;
            tensors = checkpoint.LoadAll();
        }
        LeRobotCheckpoint.Save(Dir, config, tensors);
        foreach (var tensor in tensors.Values) tensor.Dispose();
        using (var weights = SafetensorsFile.Open(Path.Combine(Dir, "model.safetensors")))
            Assert.False(weights.Metadata.ContainsKey(SmolVlaCheckpoint.VlmConfigMetadataKey));

        using var loaded = TinySmolVla.Create(seed: 5, TinySmolVla.Settings((RunSettings.PolicyPathKey, Dir)));
        TrainableTensorsAssert.Same(original, loaded);
    }
}
