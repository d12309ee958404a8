using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using Zk0.Federation.Safetensors;
using static TorchSharp.torch;

namespace Zk0.Policy.Checkpoints;

/// <summary>
/// A LeRobot pretrained-model directory: <c>config.json</c> (the policy configuration) and
/// <c>model.safetensors</c> (the state dict under LeRobot's key names). Other files in the folder
/// (tokenizer, processor statistics, train config) are left alone and kept across saves.
/// </summary>
public sealed class LeRobotCheckpoint : IDisposable
{
    public const string ConfigFileName = "config.json";
    public const string WeightsFileName = "model.safetensors";

    public string DirectoryPath { get; }
    public string ConfigPath => Path.Combine(DirectoryPath, ConfigFileName);
    public string WeightsPath => Path.Combine(DirectoryPath, WeightsFileName);

    /// <summary>The parsed <c>config.json</c>.</summary>
    public JsonObject Config { get; }

    /// <summary>The memory-mapped weights; tensors are copied out only when asked for.</summary>
    public SafetensorsFile Weights { get; }

    public IReadOnlyList<SafetensorsTensorInfo> Tensors => Weights.Tensors;

    private LeRobotCheckpoint(string directory, JsonObject config, SafetensorsFile weights)
    {
        DirectoryPath = directory;
        Config = config;
        Weights = weights;
    }

    public static LeRobotCheckpoint Open(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var fullPath = Path.GetFullPath(directory);
        if (!Directory.Exists(fullPath))
        {
            throw new DirectoryNotFoundException($"Checkpoint directory '{fullPath}' does not exist.{CheckpointDirectory.RecoveryHint(fullPath)}");
        }
        var config = ReadConfig(Path.Combine(fullPath, ConfigFileName));
        var weightsPath = Path.Combine(fullPath, WeightsFileName);
        if (!File.Exists(weightsPath))
        {
            throw new FileNotFoundException($"Checkpoint directory '{fullPath}' has no {WeightsFileName}; a LeRobot checkpoint needs {ConfigFileName} and {WeightsFileName}.", weightsPath);
        }
        return new LeRobotCheckpoint(fullPath, config, SafetensorsFile.Open(weightsPath));
    }

    private static JsonObject ReadConfig(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Checkpoint config '{path}' is missing; a LeRobot checkpoint needs {ConfigFileName} and {WeightsFileName}.", path);
        }
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new InvalidDataException($"Checkpoint config '{path}' must hold a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Checkpoint config '{path}' is not valid JSON: {e.Message}", e);
        }
    }

    public bool Contains(string key) => Weights.TryGetInfo(key, out _);

    /// <summary>One tensor by LeRobot key, in its stored dtype.</summary>
    public Tensor Load(string key, Device? device = null)
    {
        if (!Weights.TryGetInfo(key, out _))
        {
            throw new KeyNotFoundException($"Checkpoint '{WeightsPath}' has no tensor '{key}'.");
        }
        return SafetensorsTorch.Load(Weights, key, device);
    }

    /// <summary>Every tensor, keyed as stored, in its stored dtype.</summary>
    public Dictionary<string, Tensor> LoadAll(Device? device = null)
    {
        var tensors = new Dictionary<string, Tensor>(Weights.Tensors.Count, StringComparer.Ordinal);
        foreach (var info in Weights.Tensors)
        {
            tensors.Add(info.Name, SafetensorsTorch.Load(Weights, info.Name, device));
        }
        return tensors;
    }

    /// <summary>
    /// Copies the stored values into existing tensors (a module's state dict), converting dtype and
    /// device as needed. Every destination key must be present with the same shape; with
    /// <paramref name="strict"/>, stored keys that no destination takes are an error too.
    /// Nothing is written unless every key checks out.
    /// </summary>
    public void LoadInto(IEnumerable<KeyValuePair<string, Tensor>> destination, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var targets = destination.ToArray();
        CheckpointCompatibility.ThrowIfIncompatible(this, targets, strict);

        using var noGrad = torch.no_grad();
        foreach (var (key, target) in targets)
        {
            using var scope = torch.NewDisposeScope();
            var stored = SafetensorsTorch.Load(Weights, key);
            target.copy_(stored);
        }
    }

    /// <summary>
    /// Saves <paramref name="config"/> and <paramref name="tensors"/> as a LeRobot checkpoint directory.
    /// The new files are written into a temporary sibling folder and swapped in only when complete.
    /// </summary>
    /// <param name="extraFiles">Text files written beside them, by path relative to the folder (e.g. <c>smolvlm/config.json</c>).</param>
    public static void Save(string directory, JsonObject config, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null,
        IReadOnlyDictionary<string, string>? extraFiles = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tensors);
        var entries = tensors.Select(pair => SafetensorsTorch.ToEntry(pair.Key, pair.Value)).ToArray();
        var allMetadata = new Dictionary<string, string> { ["format"] = "pt" };
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            allMetadata[key] = value;
        }

        CheckpointDirectory.Replace(Path.GetFullPath(directory), staging =>
        {
            using (var weights = new FileStream(Path.Combine(staging, WeightsFileName), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                SafetensorsWriter.Write(weights, entries, allMetadata);
                weights.Flush(flushToDisk: true);
            }
            using (var configFile = new FileStream(Path.Combine(staging, ConfigFileName), FileMode.CreateNew, FileAccess.Write))
            {
                using var json = new Utf8JsonWriter(configFile, new JsonWriterOptions { Indented = true });
                config.WriteTo(json);
                json.Flush();
                configFile.Flush(flushToDisk: true);
            }
            foreach (var (relativePath, content) in extraFiles ?? new Dictionary<string, string>())
                AtomicFile.Write(Path.Combine(staging, relativePath), stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(content)));
        }, replacedFiles: [WeightsFileName, ConfigFileName, .. (extraFiles?.Keys ?? []).Select(TopLevelName)]);
    }

    private static string TopLevelName(string relativePath) => relativePath.Split('/', '\\')[0];

    public void Dispose() => Weights.Dispose();
}
