using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Zk0.Policy.Checkpoints;

/// <summary>
/// The normalization of a LeRobot checkpoint older than 0.4, kept as buffers inside <c>model.safetensors</c>:
/// <c>normalize_inputs.buffer_observation_state.mean</c>, <c>normalize_targets.buffer_action.std</c>,
/// <c>unnormalize_outputs.buffer_action.mean</c>, … (the feature name with its dots turned into underscores).
/// The modes come from <c>normalization_mapping</c> in <c>config.json</c>.
/// </summary>
public static class LegacyNormalizationBuffers
{
    public const string NormalizeInputs = "normalize_inputs";
    public const string NormalizeTargets = "normalize_targets";
    public const string UnnormalizeOutputs = "unnormalize_outputs";

    private static readonly string[] Modules = [NormalizeInputs, NormalizeTargets, UnnormalizeOutputs];

    public static string Key(string module, string feature, string stat) => $"{module}.buffer_{feature.Replace('.', '_')}.{stat}";

    /// <summary>Whether a state-dict key is one of these buffers (not a weight of the policy).</summary>
    public static bool IsBuffer(string key) => Modules.Any(m => key.StartsWith(m + ".buffer_", StringComparison.Ordinal));

    public static bool HasBuffers(LeRobotCheckpoint checkpoint) => checkpoint.Tensors.Any(t => IsBuffer(t.Name));

    public static CheckpointNormalization Read(LeRobotCheckpoint checkpoint)
    {
        var features = new Dictionary<string, CheckpointFeature>(StringComparer.Ordinal);
        foreach (var group in new[] { "input_features", "output_features" })
        {
            foreach (var (name, feature) in checkpoint.Config[group] as JsonObject ?? [])
            {
                if (feature?["type"]?.GetValue<string>() is not { } type || feature["shape"] is not JsonArray shape)
                    throw new InvalidDataException($"Checkpoint config '{checkpoint.ConfigPath}': {group} '{name}' needs 'type' and 'shape'.");
                features[name] = new CheckpointFeature(type, shape.Select(s => s!.GetValue<int>()).ToArray());
            }
        }
        var normMap = (checkpoint.Config["normalization_mapping"] as JsonObject
                ?? throw new InvalidDataException($"Checkpoint config '{checkpoint.ConfigPath}' has normalization buffers in {LeRobotCheckpoint.WeightsFileName} but no 'normalization_mapping'."))
            .ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);

        var stats = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (name, feature) in features)
        {
            var mode = normMap.GetValueOrDefault(feature.Type, CheckpointNormalization.Identity);
            if (mode == CheckpointNormalization.Identity) continue;
            string[] statNames = mode == CheckpointNormalization.MeanStd ? ["mean", "std"] : ["min", "max"];
            var module = feature.Type == CheckpointNormalization.Action ? new[] { NormalizeTargets, UnnormalizeOutputs } : [NormalizeInputs];
            foreach (var stat in statNames)
            {
                var key = module.Select(m => Key(m, name, stat)).FirstOrDefault(checkpoint.Contains)
                    ?? throw new InvalidDataException(
                        $"Checkpoint '{checkpoint.WeightsPath}' normalizes '{name}' with {mode} but has no buffer '{Key(module[0], name, stat)}'.");
                using var scope = NewDisposeScope();
                stats[$"{name}.{stat}"] = checkpoint.Load(key).to(ScalarType.Float32).flatten().data<float>().ToArray();
            }
        }
        return new CheckpointNormalization(features, normMap, stats);
    }
}
