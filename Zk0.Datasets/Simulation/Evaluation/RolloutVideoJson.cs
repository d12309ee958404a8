using System.Text.Json.Serialization;

namespace Zk0.Datasets.Simulation;

/// <summary>Reads and writes <c>episode-K.json</c> without reflection, so trimmed hosts can too.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(RolloutVideoInfo))]
public sealed partial class RolloutVideoJson : JsonSerializerContext;
