using System.Text.Json.Nodes;

namespace Zk0.Policy.Checkpoints;

/// <summary>One step of a LeRobot processor pipeline: its registry name and its JSON configuration.</summary>
public sealed record ProcessorStep(string RegistryName, JsonObject Config);

/// <summary>
/// File and registry names of LeRobot's (0.4 and newer) processor pipelines as saved beside a policy:
/// <c>&lt;pipeline&gt;.json</c> lists the steps; a step with tensor state points at
/// <c>&lt;pipeline&gt;_step_&lt;index&gt;_&lt;registry name&gt;.safetensors</c> through its <c>state_file</c>.
/// </summary>
public static class ProcessorPipelineLayout
{
    public const string Preprocessor = "policy_preprocessor";
    public const string Postprocessor = "policy_postprocessor";
    public const string NormalizerRegistryName = "normalizer_processor";
    public const string UnnormalizerRegistryName = "unnormalizer_processor";
    public const string DeviceRegistryName = "device_processor";
    public const string StateFileKey = "state_file";

    /// <summary>LeRobot's normalization epsilon (MEAN_STD divides by std + eps).</summary>
    public const double Epsilon = 1e-8;

    public static string ConfigFileName(string pipeline) => pipeline + ".json";

    public static string StateFileName(string pipeline, int stepIndex, string registryName) =>
        $"{pipeline}_step_{stepIndex}_{registryName}.safetensors";

    /// <summary>The steps every policy's pre-processor starts with: no renaming, add the batch dimension.</summary>
    public static IReadOnlyList<ProcessorStep> CommonLeadingSteps() =>
    [
        new("rename_observations_processor", new JsonObject { ["rename_map"] = new JsonObject() }),
        new("to_batch_processor", new JsonObject()),
    ];

    public static ProcessorStep DeviceStep(string device) =>
        new(DeviceRegistryName, new JsonObject { ["device"] = device, ["float_dtype"] = null });
}
