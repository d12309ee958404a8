using Zk0.Policy.SmolVla.Configuration;

namespace Zk0.Policy.SmolVla.Checkpoint;

/// <summary>
/// How a checkpoint describes a SmolVLM other than SmolVLM2-500M. LeRobot's SmolVLAConfig has no fields for the VLM's
/// widths, heads or image size: it reads them with <c>AutoConfig.from_pretrained(vlm_model_name)</c>, which takes a
/// hub id or a local folder. So the geometry goes into a <c>smolvlm/config.json</c> (transformers' SmolVLM config)
/// and <c>vlm_model_name</c> names that folder; naming the 500M model instead would make LeRobot build the wrong backbone.
/// </summary>
public static class SmallVlmGeometry
{
    public const string FolderName = "smolvlm";
    public const string ConfigPath = FolderName + "/config.json";

    /// <summary>True unless the geometry is SmolVLM2-500M-Video-Instruct's, which the hub name describes.</summary>
    public static bool Applies(SmolVlmConfig vlm) => vlm != new SmolVlmConfig();

    /// <summary>The saved SmolVLM config of a checkpoint folder, or null when it has none.</summary>
    public static string? ReadIfPresent(string checkpointDirectory)
    {
        var path = Path.Combine(checkpointDirectory, ConfigPath);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }
}
