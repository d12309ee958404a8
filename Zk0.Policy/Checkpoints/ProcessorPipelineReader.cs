using System.Text.Json;
using System.Text.Json.Nodes;
using Zk0.Federation.Safetensors;
using static TorchSharp.torch;

namespace Zk0.Policy.Checkpoints;

/// <summary>
/// Reads the normalization of a LeRobot 0.4+ checkpoint from its processor pipelines: the normalizer step of
/// <c>policy_preprocessor.json</c> (features, <c>norm_map</c>, statistics from its <c>state_file</c>; none when it names
/// none, as for a policy saved without dataset statistics), after checking that <c>policy_postprocessor.json</c> has an
/// un-normalizer and that every state file named is there.
/// </summary>
public static class ProcessorPipelineReader
{
    public static bool HasPipelines(string directory) =>
        File.Exists(Path.Combine(directory, ProcessorPipelineLayout.ConfigFileName(ProcessorPipelineLayout.Preprocessor)))
        || File.Exists(Path.Combine(directory, ProcessorPipelineLayout.ConfigFileName(ProcessorPipelineLayout.Postprocessor)));

    public static CheckpointNormalization ReadNormalization(string directory)
    {
        var (normalizer, normalizerState) = FindStep(directory, ProcessorPipelineLayout.Preprocessor, ProcessorPipelineLayout.NormalizerRegistryName);
        FindStep(directory, ProcessorPipelineLayout.Postprocessor, ProcessorPipelineLayout.UnnormalizerRegistryName);
        var source = Path.Combine(directory, ProcessorPipelineLayout.ConfigFileName(ProcessorPipelineLayout.Preprocessor));
        if (normalizer["features"] is not JsonObject describedFeatures || normalizer["norm_map"] is not JsonObject normMap)
            throw new InvalidDataException($"'{source}': the {ProcessorPipelineLayout.NormalizerRegistryName} step's config needs 'features' and 'norm_map' objects.");
        try
        {
            var features = describedFeatures.ToDictionary(
                p => p.Key,
                p => new CheckpointFeature(p.Value?["type"]?.GetValue<string>() ?? "", (p.Value?["shape"] as JsonArray ?? []).Select(s => s?.GetValue<int>() ?? throw new FormatException("a shape entry is null")).ToArray()),
                StringComparer.Ordinal);
            var modes = normMap.ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "", StringComparer.Ordinal);
            if (normalizerState is null)
                return new CheckpointNormalization(features, modes, new Dictionary<string, float[]>());
            var normalization = new CheckpointNormalization(features, modes, ReadStats(normalizerState));
            ThrowIfStatsMissing(normalization, normalizerState);
            return normalization;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"'{source}': the {ProcessorPipelineLayout.NormalizerRegistryName} step's features must be {{name: {{type, shape}}}} and its norm_map {{type: mode}}: {e.Message}", e);
        }
    }

    /// <summary>The config of the pipeline's step with <paramref name="registryName"/> and the full path of its state file, if it names one.</summary>
    private static (JsonObject Config, string? StatePath) FindStep(string directory, string pipeline, string registryName)
    {
        var path = Path.Combine(directory, ProcessorPipelineLayout.ConfigFileName(pipeline));
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"Checkpoint '{directory}' has processor pipelines but no {Path.GetFileName(path)}; a LeRobot 0.4+ checkpoint needs both " +
                $"{ProcessorPipelineLayout.ConfigFileName(ProcessorPipelineLayout.Preprocessor)} and {ProcessorPipelineLayout.ConfigFileName(ProcessorPipelineLayout.Postprocessor)}.", path);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"'{path}' must hold a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not valid JSON: {e.Message}", e);
        }
        var step = (root["steps"] as JsonArray ?? throw new InvalidDataException($"'{path}' has no 'steps' list."))
            .OfType<JsonObject>()
            .FirstOrDefault(s => s["registry_name"]?.GetValue<string>() == registryName)
            ?? throw new InvalidDataException($"'{path}' has no '{registryName}' step.");
        // LeRobot saves no state file for a (un)normalizer built without dataset statistics; it then passes values through.
        if (step[ProcessorPipelineLayout.StateFileKey]?.GetValue<string>() is not { } stateFile)
            return (step["config"] as JsonObject ?? [], null);
        var statePath = Path.Combine(directory, stateFile);
        if (stateFile != Path.GetFileName(stateFile) || !File.Exists(statePath))
            throw new FileNotFoundException($"'{path}': the '{registryName}' step's state file '{stateFile}' is missing from '{directory}'.", statePath);
        return (step["config"] as JsonObject ?? [], statePath);
    }

    private static void ThrowIfStatsMissing(CheckpointNormalization normalization, string statePath)
    {
        foreach (var (name, feature) in normalization.Features)
        {
            string[] needed = normalization.NormMap.GetValueOrDefault(feature.Type, CheckpointNormalization.Identity) switch
            {
                CheckpointNormalization.MeanStd => ["mean", "std"],
                CheckpointNormalization.MinMax => ["min", "max"],
                _ => [],
            };
            foreach (var stat in needed.Where(stat => !normalization.Stats.ContainsKey($"{name}.{stat}")))
                throw new InvalidDataException($"'{statePath}' has no '{name}.{stat}', which the normalizer needs for '{name}'.");
        }
    }

    private static Dictionary<string, float[]> ReadStats(string path)
    {
        using var file = SafetensorsFile.Open(path);
        var stats = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var info in file.Tensors)
        {
            using var scope = NewDisposeScope();
            stats[info.Name] = SafetensorsTorch.Load(file, info.Name).to(ScalarType.Float32).flatten().data<float>().ToArray();
        }
        return stats;
    }
}
