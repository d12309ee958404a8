using System.IO.Pipelines;
using System.Numerics.Tensors;
using Zk0.Federation.Blobs;
using Zk0.Federation.Safetensors;
using Zk0.Federation.Strategies;

namespace Zk0.Cli.Simulation;

/// <summary>
/// Models shaped like SmolVLA's transformer layers (attention q/k/v/o, MLP gate/up/down, two norms per layer) at a
/// chosen parameter count: a few hundred float tensors of 0.1–4 M elements at full size. Values are pseudo-random and
/// differ for every seed, so no two synthetic updates are alike (no content-addressed sharing); a model never has to be
/// stored by a synthetic node: it is generated once to learn its hash and again while it streams to the SuperLink.
/// </summary>
public sealed class SyntheticModel
{
    // Every chunk written is a window of this pool of random values, starting where the seed, tensor and offset say.
    private const int PoolLength = 1 << 20;
    private const int WindowStarts = PoolLength - FloatTensors.ChunkLength;
    private static readonly float[] Pool = CreatePool();

    public IReadOnlyList<(string Name, long[] Shape)> Tensors { get; }

    public long Parameters => Tensors.Sum(t => FloatTensors.ElementCount(t.Shape));

    public SyntheticModel(long parameters)
    {
        // Hidden size 576 (SmolVLM's) at full size; smaller for small counts so that a model still has ≥ 8 layers.
        var hidden = (int)Math.Clamp(Math.Sqrt(parameters / (8 * 10.7)) / 64, 1, 9) * 64;
        var kv = hidden / 3;
        var mlp = hidden * 8 / 3;
        var tensors = new List<(string, long[])>();
        long remaining = parameters;
        for (var layer = 0; ; layer++)
        {
            (string Name, long[] Shape)[] layerTensors =
            [
                ("input_layernorm.weight", [hidden]), ("self_attn.q_proj.weight", [hidden, hidden]),
                ("self_attn.k_proj.weight", [kv, hidden]), ("self_attn.v_proj.weight", [kv, hidden]),
                ("self_attn.o_proj.weight", [hidden, hidden]), ("post_attention_layernorm.weight", [hidden]),
                ("mlp.gate_proj.weight", [mlp, hidden]), ("mlp.up_proj.weight", [mlp, hidden]), ("mlp.down_proj.weight", [hidden, mlp]),
            ];
            var size = layerTensors.Sum(t => FloatTensors.ElementCount(t.Shape));
            if (size > remaining) break;
            tensors.AddRange(layerTensors.Select(t => ($"model.layers.{layer}.{t.Name}", t.Shape)));
            remaining -= size;
        }
        if (remaining > 0) tensors.Add(("model.norm_and_head.weight", [remaining]));
        Tensors = tensors;
    }

    /// <summary>Writes the model in <paramref name="dtype"/>; <paramref name="seed"/> picks its values.</summary>
    public void Write(Stream output, SafetensorsDType dtype, int seed)
    {
        var scale = 1f + seed * 0.01f;
        Write(output, dtype, (index, offset, destination) =>
        {
            var start = (int)((seed * 7919L + index * 104729L + offset / FloatTensors.ChunkLength * 31L) % WindowStarts);
            TensorPrimitives.Multiply(Pool.AsSpan(start, destination.Length), scale, destination);
        });
    }

    /// <summary>Writes the model's tensors in float32 with every value <paramref name="value"/> (NaN, infinity, a huge one: what a poisoning node sends).</summary>
    public void WriteConstant(Stream output, float value) => Write(output, SafetensorsDType.F32, (_, _, destination) => destination.Fill(value));

    private void Write(Stream output, SafetensorsDType dtype, Action<int, long, Span<float>> fill)
    {
        var entries = Tensors.Select((t, index) =>
        {
            var count = FloatTensors.ElementCount(t.Shape);
            return FloatTensors.Computed(new SafetensorsTensorInfo(t.Name, dtype, t.Shape, 0, count * FloatTensors.ElementSize(dtype)), null,
                (offset, destination) => fill(index, offset, destination));
        }).ToList();
        SafetensorsWriter.Write(output, entries);
    }

    public void Write(string path, SafetensorsDType dtype, int seed)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 20);
        Write(file, dtype, seed);
    }

    /// <summary>SHA-256 and size of the model with <paramref name="seed"/>, computed without storing it.</summary>
    public (string Sha256, long Size) Hash(SafetensorsDType dtype, int seed)
    {
        using var hashing = new Sha256WriteStream(Stream.Null);
        Write(hashing, dtype, seed);
        return (hashing.Hash(), hashing.Length);
    }

    /// <summary>The model with <paramref name="seed"/> as a readable stream, generated while it is read.</summary>
    public Stream OpenRead(SafetensorsDType dtype, int seed, out Task producer)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 8 << 20, resumeWriterThreshold: 4 << 20));
        producer = Task.Run(async () =>
        {
            try
            {
                await using (var writer = pipe.Writer.AsStream()) Write(writer, dtype, seed);
            }
            catch (Exception e)
            {
                await pipe.Writer.CompleteAsync(e);
                throw;
            }
        });
        return pipe.Reader.AsStream();
    }

    private static float[] CreatePool()
    {
        var random = new Random(14);
        var pool = new float[PoolLength];
        for (var i = 0; i < pool.Length; i++) pool[i] = (float)(random.NextDouble() * 0.2 - 0.1);
        return pool;
    }
}
