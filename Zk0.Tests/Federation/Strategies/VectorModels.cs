using System.Buffers.Binary;
using Zk0.Federation.Runs;
using Zk0.Federation.Safetensors;
using Zk0.Federation.Strategies;

namespace Zk0.Tests.Federation.Strategies;

/// <summary>
/// Tiny models for hand-computed aggregation tests: a global model with a trainable F32 vector "w", a frozen F32
/// "frozen" tensor and an I64 "step"; updates carry all three (as the global model's tensor set is what an update must
/// carry) with "frozen" and "step" unchanged.
/// </summary>
public sealed class VectorModels : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("zk0-strategies-").FullName;
    public string StateDirectory => Path.Combine(Directory, "state");

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    public string Global(params float[] w) => GlobalIn(SafetensorsDType.F32, w);

    /// <summary>A global model whose float tensors ("w", "frozen") are stored in <paramref name="dtype"/> (F32 or BF16).</summary>
    public string GlobalIn(SafetensorsDType dtype, params float[] w)
    {
        var path = Path.Combine(Directory, $"global-{Guid.NewGuid():N}");
        Write(path, Tensors(dtype, w));
        return path;
    }

    public TrainUpdate Update(string nodeId, long examples, params float[] w) => UpdateIn(SafetensorsDType.F32, nodeId, examples, w);

    /// <summary>An update whose "w" is stored in <paramref name="dtype"/>; BF16 values should be exact in bfloat16.</summary>
    public TrainUpdate UpdateIn(SafetensorsDType dtype, string nodeId, long examples, params float[] w)
    {
        var path = Path.Combine(Directory, $"update-{nodeId}-{Guid.NewGuid():N}");
        Write(path, Tensors(dtype, w));
        return new TrainUpdate(nodeId, path, examples, new Dictionary<string, double>());
    }

    /// <summary>Runs one round of <paramref name="strategy"/> and returns the path of the model it wrote.</summary>
    public string Round(IStrategy strategy, int round, string global, params TrainUpdate[] updates) =>
        Round(strategy, Config(), round, global, updates);

    /// <summary>Runs one round of <paramref name="strategy"/> under <paramref name="config"/> (e.g. its wire dtype).</summary>
    public string Round(IStrategy strategy, RunConfiguration config, int round, string global, params TrainUpdate[] updates) =>
        Round(strategy, config, round, global, learningRateScale: 1, updates);

    /// <summary>Runs one round with the schedule's <paramref name="learningRateScale"/> for that round.</summary>
    public string Round(IStrategy strategy, RunConfiguration config, int round, string global, double learningRateScale, params TrainUpdate[] updates)
    {
        using var aggregator = strategy.BeginAggregateTrain(round, config, global, StateDirectory, learningRateScale);
        foreach (var update in updates) aggregator.Add(update);
        var output = Path.Combine(Directory, $"model-r{round}-{Guid.NewGuid():N}");
        using (var stream = File.Create(output)) aggregator.WriteGlobalModel(stream);
        return output;
    }

    public static float[] W(string modelPath) => Read(modelPath, "w");

    /// <summary>A float tensor as float32, whatever its stored dtype.</summary>
    public static float[] Read(string modelPath, string name)
    {
        using var file = SafetensorsFile.Open(modelPath);
        var info = file.GetInfo(name);
        var values = new float[FloatTensors.ElementCount(info.Shape)];
        FloatConversions.ToSingle(file.GetBytes(name), info.DType, values);
        return values;
    }

    public static SafetensorsDType DTypeOf(string modelPath, string name)
    {
        using var file = SafetensorsFile.Open(modelPath);
        return file.GetInfo(name).DType;
    }

    public static long Step(string modelPath)
    {
        using var file = SafetensorsFile.Open(modelPath);
        return BinaryPrimitives.ReadInt64LittleEndian(file.GetBytes("step"));
    }

    public static RunConfiguration Config(string assignments = "") => RunConfiguration.Parse(RunConfiguration.ParseAssignments(assignments));

    public static IStrategy Strategy(string assignments) => StrategyCatalog.Create(Config(assignments));

    private static IReadOnlyList<SafetensorsEntry> Tensors(SafetensorsDType dtype, float[] w)
    {
        var step = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(step, 42);
        return [Float("w", dtype, w), Float("frozen", dtype, [7.5f]), new SafetensorsEntry("step", SafetensorsDType.I64, [1], 8, s => s.Write(step))];
    }

    private static SafetensorsEntry Float(string name, SafetensorsDType dtype, float[] values)
    {
        var bytes = new byte[values.Length * FloatTensors.ElementSize(dtype)];
        FloatConversions.FromSingle(values, dtype, bytes);
        return new SafetensorsEntry(name, dtype, [values.Length], bytes.Length, s => s.Write(bytes));
    }

    private static void Write(string path, IReadOnlyList<SafetensorsEntry> entries)
    {
        using var file = File.Create(path);
        SafetensorsWriter.Write(file, entries);
    }
}
