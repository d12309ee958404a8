using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Zk0.Federation.Runs;
using Zk0.Federation.Safetensors;
using Zk0.Federation.Strategies;

namespace Zk0.Tests.Federation.Strategies;

/// <summary>
/// Tiny models for hand-computed aggregation tests: a global model with a trainable F32 vector "w", a frozen F32
/// "frozen" tensor and an I64 "step"; updates carry only "w", as nodes that send trainable tensors only do.
/// </summary>
public sealed class VectorModels : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("zk0-strategies-").FullName;
    public string StateDirectory => Path.Combine(Directory, "state");

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    public string Global(params float[] w)
    {
        var path = Path.Combine(Directory, $"global-{Guid.NewGuid():N}");
        var step = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(step, 42);
        Write(path,
        [
            F32("w", w),
            F32("frozen", [7.5f]),
            new SafetensorsEntry("step", SafetensorsDType.I64, [1], 8, s => s.Write(step)),
        ]);
        return path;
    }

    public TrainUpdate Update(string nodeId, long examples, params float[] w)
    {
        var path = Path.Combine(Directory, $"update-{nodeId}-{Guid.NewGuid():N}");
        Write(path, [F32("w", w)]);
        return new TrainUpdate(nodeId, path, examples, new Dictionary<string, double>());
    }

    /// <summary>Runs one round of <paramref name="strategy"/> and returns the path of the model it wrote.</summary>
    public string Round(IStrategy strategy, int round, string global, params TrainUpdate[] updates)
    {
        using var aggregator = strategy.BeginAggregateTrain(round, Config(), global, StateDirectory);
        foreach (var update in updates) aggregator.Add(update);
        var output = Path.Combine(Directory, $"model-r{round}-{Guid.NewGuid():N}");
        using (var stream = File.Create(output)) aggregator.WriteGlobalModel(stream);
        return output;
    }

    public static float[] W(string modelPath) => Read(modelPath, "w");

    public static float[] Read(string modelPath, string name)
    {
        using var file = SafetensorsFile.Open(modelPath);
        return MemoryMarshal.Cast<byte, float>(file.GetBytes(name)).ToArray();
    }

    public static long Step(string modelPath)
    {
        using var file = SafetensorsFile.Open(modelPath);
        return BinaryPrimitives.ReadInt64LittleEndian(file.GetBytes("step"));
    }

    public static RunConfiguration Config(string assignments = "") => RunConfiguration.Parse(RunConfiguration.ParseAssignments(assignments));

    public static IStrategy Strategy(string assignments) => StrategyCatalog.Create(Config(assignments));

    private static SafetensorsEntry F32(string name, float[] values)
    {
        var bytes = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        return new SafetensorsEntry(name, SafetensorsDType.F32, [values.Length], bytes.Length, s => s.Write(bytes));
    }

    private static void Write(string path, IReadOnlyList<SafetensorsEntry> entries)
    {
        using var file = File.Create(path);
        SafetensorsWriter.Write(file, entries);
    }
}
