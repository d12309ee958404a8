using System.Security.Cryptography;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Federation;

/// <summary>
/// Flow-matching noise and time fixed per held-out sample: each sample's draws come from a generator seeded by
/// (evaluation seed, sample index), so an evaluation's number changes only when the model does, whatever the batch size.
/// </summary>
public static class EvaluationNoise
{
    public static (Tensor Noise, Tensor Time, Tensor SamplingNoise) For(long seed, long firstSample, int count, long chunk, long actionDim)
    {
        var noises = new List<Tensor>(count);
        var times = new List<Tensor>(count);
        var sampling = new List<Tensor>(count);
        using var scope = NewDisposeScope();
        for (var i = 0; i < count; i++)
        {
            using var generator = new Generator(SampleSeed(seed, firstSample + i));
            noises.Add(randn([chunk, actionDim], generator: generator));
            times.Add(FlowMatching.FlowMatchingNoise.SampleTime(1, CPU, generator));
            sampling.Add(randn([chunk, actionDim], generator: generator));
        }
        return (stack(noises).MoveToOuterDisposeScope(), cat(times).MoveToOuterDisposeScope(), stack(sampling).MoveToOuterDisposeScope());
    }

    public static ulong SampleSeed(long seed, long sample)
    {
        Span<byte> input = stackalloc byte[16];
        BitConverter.TryWriteBytes(input, seed);
        BitConverter.TryWriteBytes(input[8..], sample);
        return BitConverter.ToUInt64(SHA256.HashData(input), 0) & long.MaxValue;
    }
}
