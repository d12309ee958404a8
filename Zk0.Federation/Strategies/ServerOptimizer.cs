namespace Zk0.Federation.Strategies;

/// <summary>
/// A server-side optimizer step applied element-wise to one chunk of one tensor: it reads the global values, the
/// example-weighted mean of the updates and its state slots from the previous round, and writes the new state and
/// the new global values. Deterministic, so calling it again on the same chunk gives the same numbers.
/// </summary>
public abstract class ServerOptimizer
{
    /// <summary>Names of the per-parameter state tensors, e.g. ["m", "v"].</summary>
    public abstract IReadOnlyList<string> StateSlots { get; }

    public abstract void Step(OptimizerChunk chunk);
}

/// <summary>The float32 buffers of one optimizer step over <see cref="Length"/> elements.</summary>
public sealed class OptimizerChunk(int slotCount, int capacity)
{
    public int Round { get; internal set; }
    public int Length { get; internal set; }

    /// <summary>False when no state from an earlier round exists for this tensor (its slots are then zeros).</summary>
    public bool HasPreviousState { get; internal set; }

    internal float[] GlobalBuffer { get; } = new float[capacity];
    internal float[] AverageBuffer { get; } = new float[capacity];
    internal float[] NewGlobalBuffer { get; } = new float[capacity];
    internal float[][] StateBuffers { get; } = Enumerable.Range(0, slotCount).Select(_ => new float[capacity]).ToArray();

    public ReadOnlySpan<float> Global => GlobalBuffer.AsSpan(0, Length);
    public ReadOnlySpan<float> Average => AverageBuffer.AsSpan(0, Length);

    /// <summary>Slot values: the previous round's on entry, this round's on exit.</summary>
    public Span<float> State(int slot) => StateBuffers[slot].AsSpan(0, Length);

    public Span<float> NewGlobal => NewGlobalBuffer.AsSpan(0, Length);

    public static OptimizerChunk Of(int round, float[] global, float[] average, bool hasPreviousState, params float[][] state)
    {
        var chunk = new OptimizerChunk(state.Length, global.Length) { Round = round, Length = global.Length, HasPreviousState = hasPreviousState };
        global.CopyTo(chunk.GlobalBuffer, 0);
        average.CopyTo(chunk.AverageBuffer, 0);
        for (var s = 0; s < state.Length; s++) state[s].CopyTo(chunk.StateBuffers[s], 0);
        return chunk;
    }
}
