using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Zk0.Federation.Safetensors;
using Zk0.Federation.Strategies;

namespace Zk0.Tests.SuperLink.Infrastructure;

/// <summary>
/// A four-tensor model the test nodes exchange: "layer.weight" F32 [2,2], "layer.bias" BF16 [2], "head.weight" F16 [2]
/// and an I64 "step" counter, enough to check every dtype path of the aggregation with exact numbers.
/// </summary>
public sealed record TinyModel(float[] Weight, float[] Bias, float[] Head, long Step)
{
    public static TinyModel Uniform(float value, long step = 0) => new([value, value, value, value], [value, value], [value, value], step);

    public TinyModel Plus(float delta) =>
        new(Weight.Select(w => w + delta).ToArray(), Bias.Select(b => b + delta).ToArray(), Head.Select(h => h + delta).ToArray(), Step + 1);

    public void Save(string path)
    {
        using var file = File.Create(path);
        SafetensorsWriter.Write(file, Entries(), new Dictionary<string, string> { ["format"] = "pt" });
    }

    public IReadOnlyList<SafetensorsEntry> Entries()
    {
        var weight = MemoryMarshal.AsBytes(Weight.AsSpan()).ToArray();
        var bias = new byte[4];
        FloatConversions.FromSingle(Bias, SafetensorsDType.BF16, bias);
        var head = new byte[4];
        FloatConversions.FromSingle(Head, SafetensorsDType.F16, head);
        var step = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(step, Step);
        return
        [
            new("layer.weight", SafetensorsDType.F32, [2, 2], 16, s => s.Write(weight)),
            new("layer.bias", SafetensorsDType.BF16, [2], 4, s => s.Write(bias)),
            new("head.weight", SafetensorsDType.F16, [2], 4, s => s.Write(head)),
            new("step", SafetensorsDType.I64, [1], 8, s => s.Write(step)),
        ];
    }

    public static TinyModel Load(string path)
    {
        using var file = SafetensorsFile.Open(path);
        var weight = new float[4];
        var bias = new float[2];
        var head = new float[2];
        FloatConversions.ToSingle(file.GetBytes("layer.weight"), SafetensorsDType.F32, weight);
        FloatConversions.ToSingle(file.GetBytes("layer.bias"), SafetensorsDType.BF16, bias);
        FloatConversions.ToSingle(file.GetBytes("head.weight"), SafetensorsDType.F16, head);
        return new TinyModel(weight, bias, head, BinaryPrimitives.ReadInt64LittleEndian(file.GetBytes("step")));
    }
}
