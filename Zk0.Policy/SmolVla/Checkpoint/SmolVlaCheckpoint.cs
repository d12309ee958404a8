using System.Text.Json;
using Zk0.Policy.Checkpoints;
using Zk0.Policy.SmolVla.Configuration;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Checkpoint;

/// <summary>
/// A SmolVLA policy as a LeRobot checkpoint directory (<c>config.json</c> + <c>model.safetensors</c>, LeRobot key
/// names, dtype kept on save). The SmolVLM geometry travels in the safetensors metadata, which LeRobot ignores;
/// without it the geometry is SmolVLM2-500M's, as for <c>lerobot/smolvla_base</c>. A policy on another geometry (the
/// small built-in one) also gets <see cref="SmallVlmGeometry.FolderName"/><c>/config.json</c>, which its
/// <c>vlm_model_name</c> names instead of the 500M model.
/// </summary>
public static class SmolVlaCheckpoint
{
    public const string VlmConfigMetadataKey = "zk0.smolvlm_config";

    public static SmolVlaPolicy Load(string directory, TensorPlacement? placement = null)
    {
        using var checkpoint = LeRobotCheckpoint.Open(directory);
        // Refuses a folder whose processor files are incomplete, as LeRobot would.
        CheckpointNormalizationReader.ReadIfPresent(checkpoint);
        var vlmJson = checkpoint.Weights.Metadata.TryGetValue(VlmConfigMetadataKey, out var fromMetadata)
            ? fromMetadata
            : SmallVlmGeometry.ReadIfPresent(checkpoint.DirectoryPath);
        var arch = SmolVlaConfigJson.FromJson(checkpoint.Config, checkpoint.ConfigPath, vlmJson);
        var policy = new SmolVlaPolicy(arch, placement);
        try
        {
            checkpoint.LoadInto(policy.named_parameters().Select(p => new KeyValuePair<string, Tensor>(p.name, p.parameter)));
        }
        catch
        {
            policy.Dispose();
            throw;
        }
        return policy;
    }

    public static void Save(SmolVlaPolicy policy, string directory)
    {
        var config = SmolVlaConfigJson.WritePolicy(policy.Config);
        var vlm = SmolVlaConfigJson.WriteVlm(policy.Architecture.Vlm);
        var extraFiles = new Dictionary<string, string>();
        if (SmallVlmGeometry.Applies(policy.Architecture.Vlm))
        {
            config["vlm_model_name"] = SmallVlmGeometry.FolderName;
            extraFiles[SmallVlmGeometry.ConfigPath] = vlm.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        }
        LeRobotCheckpoint.Save(directory, config,
            policy.named_parameters().Select(p => new KeyValuePair<string, Tensor>(p.name, p.parameter)),
            new Dictionary<string, string> { [VlmConfigMetadataKey] = vlm.ToJsonString() },
            extraFiles);
    }
}
