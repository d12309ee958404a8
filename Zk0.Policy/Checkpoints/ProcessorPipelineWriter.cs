using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Zk0.Policy.Checkpoints;

/// <summary>
/// Writes LeRobot's pre- and post-processor pipelines into a checkpoint folder: the policy's leading pre-processing
/// steps followed by a normalizer, and an un-normalizer followed by a move to the CPU, each (un)normalizer with its
/// statistics in a state file.
/// </summary>
public static class ProcessorPipelineWriter
{
    /// <summary>Writes both pipelines and returns the names of the files written.</summary>
    public static IReadOnlyList<string> Write(string directory, IReadOnlyList<ProcessorStep> leadingSteps, CheckpointNormalization normalization)
    {
        ArgumentNullException.ThrowIfNull(leadingSteps);
        ArgumentNullException.ThrowIfNull(normalization);
        var written = new List<string>();
        written.AddRange(WritePipeline(directory, ProcessorPipelineLayout.Preprocessor,
            [.. leadingSteps, new ProcessorStep(ProcessorPipelineLayout.NormalizerRegistryName, NormalizerConfig(normalization.Features, normalization.NormMap))],
            normalization.Stats));
        var outputs = normalization.OutputFeatures;
        written.AddRange(WritePipeline(directory, ProcessorPipelineLayout.Postprocessor,
            [new ProcessorStep(ProcessorPipelineLayout.UnnormalizerRegistryName, NormalizerConfig(outputs, normalization.NormMap)), ProcessorPipelineLayout.DeviceStep("cpu")],
            normalization.StatsOf(outputs.Keys)));
        return written;
    }

    private static List<string> WritePipeline(string directory, string name, IReadOnlyList<ProcessorStep> steps, IReadOnlyDictionary<string, float[]> stats)
    {
        var written = new List<string>();
        var entries = new JsonArray();
        for (var index = 0; index < steps.Count; index++)
        {
            var step = steps[index];
            var entry = new JsonObject { ["registry_name"] = step.RegistryName, ["config"] = step.Config.DeepClone() };
            if (step.RegistryName is ProcessorPipelineLayout.NormalizerRegistryName or ProcessorPipelineLayout.UnnormalizerRegistryName)
            {
                var stateFile = ProcessorPipelineLayout.StateFileName(name, index, step.RegistryName);
                WriteStats(Path.Combine(directory, stateFile), stats);
                entry[ProcessorPipelineLayout.StateFileKey] = stateFile;
                written.Add(stateFile);
            }
            entries.Add(entry);
        }
        var configFile = ProcessorPipelineLayout.ConfigFileName(name);
        var json = new JsonObject { ["name"] = name, ["steps"] = entries };
        AtomicFile.Write(Path.Combine(directory, configFile),
            stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }))));
        written.Add(configFile);
        return written;
    }

    private static JsonObject NormalizerConfig(IReadOnlyDictionary<string, CheckpointFeature> features, IReadOnlyDictionary<string, string> normMap)
    {
        var describedFeatures = new JsonObject();
        foreach (var (name, feature) in features)
            describedFeatures[name] = new JsonObject
            {
                ["type"] = feature.Type,
                ["shape"] = new JsonArray(feature.Shape.Select(s => (JsonNode)s).ToArray()),
            };
        var map = new JsonObject();
        foreach (var (type, mode) in normMap)
            map[type] = mode;
        return new JsonObject { ["eps"] = ProcessorPipelineLayout.Epsilon, ["features"] = describedFeatures, ["norm_map"] = map };
    }

    private static void WriteStats(string path, IReadOnlyDictionary<string, float[]> stats)
    {
        using var scope = NewDisposeScope();
        SafetensorsTorch.Save(path, stats.OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => new KeyValuePair<string, Tensor>(s.Key, tensor(s.Value, ScalarType.Float32)))
            .ToList());
    }
}
