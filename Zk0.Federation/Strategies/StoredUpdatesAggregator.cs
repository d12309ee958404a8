using Zk0.Federation.Safetensors;

namespace Zk0.Federation.Strategies;

/// <summary>
/// Base of the strategies that need every update at once (median, trimmed mean, Krum): each accepted update stays a
/// memory-mapped safetensors file (the blob the node uploaded), and the new model is computed chunk by chunk with one
/// float32 chunk per update in memory. Updates are combined in the order they were added; the SuperLink adds them in
/// its canonical fold order (<see cref="OrderedFold"/>), so arrival order never changes the result. The new model is
/// written in the run's wire dtype.
/// </summary>
public abstract class StoredUpdatesAggregator : IUpdateAggregator
{
    private readonly SafetensorsFile _global;
    private readonly string _globalPath;
    private readonly SafetensorsDType? _wireDType;
    private readonly List<StoredUpdate> _updates = [];
    private HashSet<string>? _tensorNames;

    protected StoredUpdatesAggregator(string globalModelPath, SafetensorsDType? wireDType)
    {
        _wireDType = wireDType;
        _globalPath = globalModelPath;
        _global = SafetensorsFile.Open(globalModelPath);
    }

    public int UpdatesAggregated => _updates.Count;

    /// <summary>The accepted updates in the order they were added.</summary>
    protected IReadOnlyList<StoredUpdate> Updates => _updates;

    /// <summary>The floating-point tensors the updates carry, in the global model's order.</summary>
    protected IEnumerable<SafetensorsTensorInfo> AggregatedTensors =>
        _global.Tensors.Where(t => FloatTensors.IsFloat(t.DType) && _tensorNames!.Contains(t.Name) && _updates[0].File.TryGetInfo(t.Name, out var u) && FloatTensors.IsFloat(u.DType));

    public void Add(TrainUpdate update)
    {
        if (update.NumExamples <= 0)
            throw new UpdateRejectedException($"Update from node {update.NodeId} reports {update.NumExamples} examples; a positive count is needed to weigh it.");
        if (_updates.Any(u => u.Update.NodeId == update.NodeId))
            throw new UpdateRejectedException($"Node {update.NodeId} already contributed an update this round; only its first one counts.");
        SafetensorsFile file;
        try
        {
            file = SafetensorsFile.Open(update.UpdatePath);
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or IOException or ArgumentException)
        {
            throw new UpdateRejectedException($"Update from node {update.NodeId} is not a readable safetensors file: {e.Message}");
        }
        try
        {
            Validate(update, file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
        _tensorNames ??= file.Tensors.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        _updates.Add(new StoredUpdate(update, file));
    }

    public void WriteGlobalModel(Stream output)
    {
        if (_updates.Count == 0)
            throw new InvalidOperationException("No update was aggregated; keep the base model instead of writing a new one.");
        PrepareAggregation();
        var aggregated = AggregatedTensors.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var buffers = _updates.Select(_ => new float[FloatTensors.ChunkLength]).ToArray();
        var entries = _global.Tensors.Select(info => aggregated.Contains(info.Name)
            ? FloatTensors.Computed(info, _wireDType, (offset, destination) =>
            {
                for (var u = 0; u < _updates.Count; u++)
                {
                    var file = _updates[u].File;
                    FloatTensors.Read(file, file.GetInfo(info.Name), offset, buffers[u].AsSpan(0, destination.Length));
                }
                Combine(buffers, destination);
            })
            : FloatTensors.Carried(_global, info, _wireDType)).ToList();
        SafetensorsWriter.Write(output, entries, _global.Metadata);
    }

    /// <summary>Runs once before the model is written (Krum scores the updates here).</summary>
    protected virtual void PrepareAggregation()
    {
    }

    /// <summary>Combines element i of every update (values[u][i], u in the order added) into destination[i].</summary>
    protected abstract void Combine(float[][] values, Span<float> destination);

    public void Dispose()
    {
        foreach (var update in _updates) update.File.Dispose();
        _global.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Memory for <paramref name="updateCount"/> stored updates: one chunk each in memory, the updates mapped from disk.</summary>
    public static AggregationMemory Estimate(int updateCount, long parameterCount, long extraHeapBytes = 0) =>
        new((long)updateCount * 4 * FloatTensors.ChunkLength + extraHeapBytes, (long)updateCount * 4 * parameterCount);

    private void Validate(TrainUpdate update, SafetensorsFile file)
    {
        foreach (var info in file.Tensors)
        {
            if (!_global.TryGetInfo(info.Name, out var baseInfo))
                throw new UpdateRejectedException($"Update from node {update.NodeId} has tensor '{info.Name}', which the global model ({_globalPath}) does not.");
            if (!info.Shape.SequenceEqual(baseInfo.Shape))
                throw new UpdateRejectedException($"Update from node {update.NodeId}: tensor '{info.Name}' has shape [{string.Join(",", info.Shape)}], the global model [{string.Join(",", baseInfo.Shape)}].");
            if (FloatTensors.IsFloat(baseInfo.DType) != FloatTensors.IsFloat(info.DType))
                throw new UpdateRejectedException($"Update from node {update.NodeId}: tensor '{info.Name}' is {info.DType}, the global model's is {baseInfo.DType}.");
        }
        var names = file.Tensors.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        if (_tensorNames is not null && !_tensorNames.SetEquals(names))
            throw new UpdateRejectedException($"Update from node {update.NodeId} carries a different tensor set than earlier updates " +
                $"(missing: [{string.Join(", ", _tensorNames.Except(names).Take(3))}], unexpected: [{string.Join(", ", names.Except(_tensorNames).Take(3))}]).");
    }

    protected sealed record StoredUpdate(TrainUpdate Update, SafetensorsFile File);
}
