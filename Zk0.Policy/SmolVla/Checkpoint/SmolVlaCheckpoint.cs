using Zk0.Policy.Checkpoints;
using Zk0.Policy.SmolVla.Configuration;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Checkpoint;

/// <summary>
/// A SmolVLA policy as a LeRobot checkpoint directory (<c>config.json</c> + <c>model.safetensors</c>, LeRobot key
/// names, dtype kept on save). The SmolVLM geometry travels in the safetensors metadata, which LeRobot ignores;
/// without it the geometry is SmolVLM2-500M's, as for <c>lerobot/smolvla_base</c>.
/// </summary>
public static class SmolVlaCheckpoint
{
    public const string VlmConfigMetadataKey = "zk0.smolvlm_config";

    public static SmolVlaPolicy Load(string directory, TensorPlacement? placement = null)
    {
        using var checkpoint = LeRobotCheckpoint.Open(directory);
        checkpoint.Weights.Metadata.TryGetValue(VlmConfigMetadataKey, out var vlmJson);
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

    public static void Save(SmolVlaPolicy policy, string directory) =>
        LeRobotCheckpoint.Save(directory, SmolVlaConfigJson.WritePolicy(policy.Config),
            policy.named_parameters().Select(p => new KeyValuePair<string, Tensor>(p.name, p.parameter)),
            new Dictionary<string, string> { [VlmConfigMetadataKey] = SmolVlaConfigJson.WriteVlm(policy.Architecture.Vlm).ToJsonString() });
}
