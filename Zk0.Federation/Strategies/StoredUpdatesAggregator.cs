using Zk0.Federation.Safetensors;

namespace Zk0.Federation.Strategies;

/// <summary>
/// Base of the strategies that need every update at once (median, trimmed mean, Krum): each accepted update stays on
/// disk as the safetensors file the node uploaded, open but not memory-mapped, and the new model is computed chunk by
/// chunk, reading one float32 chunk of every update at a time. Memory grows by one chunk per update, never by whole
/// updates: a mapped file would add every page read to the process's resident memory, N full updates by the end of a
/// round. Updates are combined in the order they were added; the SuperLink adds them in its canonical fold order
/// (<see cref="FoldOrder"/>), so arrival order never changes the result. The new model is written in the run's wire dtype.
/// </summary>
public abstract class StoredUpdatesAggregator : IUpdateAggregator
{
    private readonly SafetensorsFile _global;
    private readonly string _globalPath;
    private readonly SafetensorsDType? _wireDType;
    private readonly List<StoredUpdate> _updates = [];
    private readonly byte[] _raw = new byte[RawBytes];

    /// <summary>The raw bytes of one chunk before conversion to float32 (float64, the widest dtype, needs 8 per element).</summary>
    private const int RawBytes = 8 * FloatTensors.ChunkLength;

    protected StoredUpdatesAggregator(string globalModelPath, SafetensorsDType? wireDType)
    {
        _wireDType = wireDType;
        _globalPath = globalModelPath;
        _global = SafetensorsFile.Open(globalModelPath);
    }

    public int UpdatesAggregated => _updates.Count;

    /// <summary>The accepted updates in the order they were added.</summary>
    protected IReadOnlyList<StoredUpdate> Updates => _updates;

    /// <summary>The floating-point tensors of the global model (every update carries them all), in its order.</summary>
    protected IEnumerable<SafetensorsTensorInfo> AggregatedTensors =>
        _global.Tensors.Where(t => FloatTensors.IsFloat(t.DType));

    public void Add(TrainUpdate update)
    {
        if (update.NumExamples <= 0)
            throw new UpdateRejectedException($"Update from node {update.NodeId} reports {update.NumExamples} examples; a positive count is needed to weigh it.");
        if (_updates.Any(u => u.Update.NodeId == update.NodeId))
            throw new UpdateRejectedException($"Node {update.NodeId} already contributed an update this round; only its first one counts.");
        SafetensorsReader file;
        try
        {
            file = SafetensorsReader.Open(update.UpdatePath);
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
        _updates.Add(new StoredUpdate(update, file));
    }

    public void WriteGlobalModel(Stream output)
    {
        if (_updates.Count == 0)
            throw new InvalidOperationException("No update was aggregated; keep the base model instead of writing a new one.");
        var buffers = _updates.Select(_ => new float[FloatTensors.ChunkLength]).ToArray();
        PrepareAggregation(buffers);
        var aggregated = AggregatedTensors.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var entries = _global.Tensors.Select(info => aggregated.Contains(info.Name)
            ? FloatTensors.Computed(info, _wireDType, (offset, destination) =>
            {
                for (var u = 0; u < _updates.Count; u++) ReadChunk(u, info.Name, offset, buffers[u].AsSpan(0, destination.Length));
                Combine(buffers, destination);
            })
            : FloatTensors.Carried(_global, info, _wireDType)).ToList();
        SafetensorsWriter.Write(output, entries, _global.Metadata);
    }

    /// <summary>Elements [offset, offset + destination.Length) of one tensor of update <paramref name="update"/> (in the order added), as float32.</summary>
    protected void ReadChunk(int update, string tensor, long offset, Span<float> destination)
    {
        var file = _updates[update].File;
        FloatTensors.Read(file, file.GetInfo(tensor), offset, destination, _raw);
    }

    /// <summary>Runs once before the model is written (Krum scores the updates here); <paramref name="buffers"/> holds one chunk per update to read them into.</summary>
    protected virtual void PrepareAggregation(float[][] buffers)
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

    /// <summary>
    /// Memory for <paramref name="updateCount"/> stored updates: one float32 chunk each and one chunk of raw bytes, whatever
    /// the parameter count; the updates are read from disk (through the page cache), not mapped.
    /// </summary>
    public static AggregationMemory Estimate(int updateCount, long extraHeapBytes = 0) =>
        new((long)updateCount * 4 * FloatTensors.ChunkLength + RawBytes + extraHeapBytes, MappedBytes: 0);

    private void Validate(TrainUpdate update, SafetensorsReader file)
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
        if (file.Tensors.Count != _global.Tensors.Count)
            throw new UpdateRejectedException($"Update from node {update.NodeId} carries {file.Tensors.Count} of the global model's {_global.Tensors.Count} tensors " +
                $"(missing: [{string.Join(", ", _global.Tensors.Select(t => t.Name).Except(file.Tensors.Select(t => t.Name)).Take(3))}]).");
    }

    protected sealed record StoredUpdate(TrainUpdate Update, SafetensorsReader File);
}
