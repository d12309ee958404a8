using Zk0.Federation.Safetensors;

namespace Zk0.Federation.Strategies;

/// <summary>
/// FedAvgM and the FedOpt family: the updates are averaged as they arrive (a float32 running sum), then a server
/// optimizer turns average − global into a step. Its state is read from the previous round's state file and the new
/// state is written before the new model, both chunk by chunk, so memory stays one float32 copy of the aggregated
/// tensors. Only the tensors the nodes sent are stepped; the others keep their values and their state. The optimizer
/// state stays float32; the new model is written in the run's wire dtype.
/// </summary>
public sealed class ServerOptimizerAggregator : IUpdateAggregator
{
    private readonly int _round;
    private readonly string _globalPath;
    private readonly WeightedAverageAggregator _average;
    private readonly OptimizerStateStore _store;
    private readonly ServerOptimizer _optimizer;
    private readonly SafetensorsDType? _wireDType;

    /// <param name="wireDType">The dtype the new model's floating-point tensors are written in (the run's wire dtype); null keeps the base model's.</param>
    public ServerOptimizerAggregator(int round, string globalModelPath, string? stateDirectory, string strategyName, ServerOptimizer optimizer,
        SafetensorsDType? wireDType = null)
    {
        _wireDType = wireDType;
        if (string.IsNullOrEmpty(stateDirectory))
            throw new ArgumentException($"{strategyName} keeps server optimizer state across rounds and needs the run's state directory; none was given.", nameof(stateDirectory));
        _round = round;
        _globalPath = globalModelPath;
        _average = new WeightedAverageAggregator(globalModelPath);
        _store = new OptimizerStateStore(stateDirectory, strategyName);
        _optimizer = optimizer;
    }

    public int UpdatesAggregated => _average.UpdatesAggregated;

    public void Add(TrainUpdate update) => _average.Add(update);

    public void WriteGlobalModel(Stream output)
    {
        if (UpdatesAggregated == 0)
            throw new InvalidOperationException("No update was aggregated; keep the base model instead of writing a new one.");
        using var global = SafetensorsFile.Open(_globalPath);
        var stepped = global.Tensors.Where(t => _average.AggregatedTensors.Contains(t.Name)).ToList();
        var slots = _optimizer.StateSlots;

        using (var previous = _store.OpenLatestBefore(_round))
        {
            var stepper = new ChunkStepper(this, global, previous);
            var stateEntries = new List<SafetensorsEntry>();
            for (var slot = 0; slot < slots.Count; slot++)
                foreach (var info in stepped)
                {
                    var s = slot;
                    var count = FloatTensors.ElementCount(info.Shape);
                    stateEntries.Add(new SafetensorsEntry(StateName(slots[s], info.Name), SafetensorsDType.F32, info.Shape, 4 * count,
                        stream => FloatTensors.WriteChunked(stream, SafetensorsDType.F32, count, (offset, destination) =>
                            stepper.Step(info, offset, destination.Length).State(s).CopyTo(destination))));
                }
            // Tensors stepped in earlier rounds but not sent this round keep their state.
            if (previous is not null)
                foreach (var kept in previous.Tensors.Where(t => !stepped.Any(s => slots.Any(slot => StateName(slot, s.Name) == t.Name))))
                    stateEntries.Add(new SafetensorsEntry(kept.Name, kept.DType, kept.Shape, kept.ByteLength, stream => stream.Write(previous.GetBytes(kept.Name))));
            _store.Write(_round, stateEntries);

            var modelEntries = global.Tensors.Select(info => stepped.Contains(info)
                ? FloatTensors.Computed(info, _wireDType, (offset, destination) => stepper.Step(info, offset, destination.Length).NewGlobal.CopyTo(destination))
                : FloatTensors.Carried(global, info, _wireDType)).ToList();
            SafetensorsWriter.Write(output, modelEntries, global.Metadata);
        }
        _store.Prune(_round);
    }

    public void Dispose() => _average.Dispose();

    public static string StateName(string slot, string tensor) => $"{slot}/{tensor}";

    /// <summary>Fills one chunk's inputs (global, average, previous state) and runs the optimizer on it.</summary>
    private sealed class ChunkStepper(ServerOptimizerAggregator owner, SafetensorsFile global, SafetensorsFile? previous)
    {
        private readonly OptimizerChunk _chunk = new(owner._optimizer.StateSlots.Count, FloatTensors.ChunkLength);

        public OptimizerChunk Step(SafetensorsTensorInfo info, long offset, int length)
        {
            _chunk.Round = owner._round;
            _chunk.Length = length;
            FloatTensors.Read(global, info, offset, _chunk.GlobalBuffer.AsSpan(0, length));
            owner._average.CopyAverage(info.Name, offset, _chunk.AverageBuffer.AsSpan(0, length));
            var slots = owner._optimizer.StateSlots;
            _chunk.HasPreviousState = previous is not null && slots.All(slot =>
                previous.TryGetInfo(StateName(slot, info.Name), out var s) && s.DType == SafetensorsDType.F32 && s.Shape.SequenceEqual(info.Shape));
            for (var slot = 0; slot < slots.Count; slot++)
            {
                var buffer = _chunk.StateBuffers[slot].AsSpan(0, length);
                if (_chunk.HasPreviousState) FloatTensors.Read(previous!, previous!.GetInfo(StateName(slots[slot], info.Name)), offset, buffer);
                else buffer.Clear();
            }
            owner._optimizer.Step(_chunk);
            return _chunk;
        }
    }
}
