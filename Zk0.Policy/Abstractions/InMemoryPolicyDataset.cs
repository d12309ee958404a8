using static TorchSharp.torch;

namespace Zk0.Policy.Abstractions;

/// <summary>
/// A dataset split held as tensors: state [N, S], camera frames camera → uint8 [N, H, W, 3],
/// actions [N, T, A], action_is_pad [N, T]. Batches are index selections (copies the caller owns).
/// </summary>
public sealed class InMemoryPolicyDataset : IPolicyDataset
{
    private readonly Tensor _state;
    private readonly IReadOnlyDictionary<string, Tensor> _cameraFrames;
    private readonly Tensor _actions;
    private readonly Tensor _actionIsPad;
    private readonly IReadOnlyList<string> _tasks;

    public InMemoryPolicyDataset(
        PolicyFeatures features, Tensor state, IReadOnlyDictionary<string, Tensor> cameraFrames, Tensor actions, Tensor actionIsPad, IReadOnlyList<string> tasks)
    {
        var count = state.shape[0];
        if (actions.shape[0] != count || actionIsPad.shape[0] != count || tasks.Count != count || cameraFrames.Values.Any(i => i.shape[0] != count))
            throw new ArgumentException("In-memory dataset: state, images, actions, action_is_pad and tasks must have the same number of samples.");
        if (count == 0) throw new ArgumentException("In-memory dataset: the split has no samples.");
        Features = features;
        (_state, _cameraFrames, _actions, _actionIsPad, _tasks) = (state, cameraFrames, actions, actionIsPad, tasks);
    }

    public PolicyFeatures Features { get; }

    public long Count => _state.shape[0];

    public IEnumerable<PolicyBatch> ShuffledBatches(int batchSize, long seed)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), "Batch size must be positive.");
        var random = new Random(unchecked((int)(seed ^ (seed >> 32))));
        var order = Enumerable.Range(0, (int)Count).ToArray();
        while (true)
        {
            random.Shuffle(order);
            for (var start = 0; start + batchSize <= order.Length || (start == 0 && order.Length < batchSize); start += batchSize)
                yield return Select(order.Skip(start).Take(batchSize).ToArray());
        }
    }

    public IEnumerable<PolicyBatch> SequentialBatches(int batchSize)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), "Batch size must be positive.");
        for (var start = 0; start < Count; start += batchSize)
            yield return Select(Enumerable.Range(start, (int)Math.Min(batchSize, Count - start)).ToArray());
    }

    private PolicyBatch Select(int[] indices)
    {
        using var index = tensor(indices.Select(i => (long)i).ToArray());
        return new PolicyBatch
        {
            State = _state.index_select(0, index),
            CameraFrames = _cameraFrames.ToDictionary(i => i.Key, i => i.Value.index_select(0, index)),
            Actions = _actions.index_select(0, index),
            ActionIsPad = _actionIsPad.index_select(0, index),
            Tasks = indices.Select(i => _tasks[i]).ToList(),
        };
    }

    public void Dispose()
    {
        _state.Dispose();
        foreach (var image in _cameraFrames.Values) image.Dispose();
        _actions.Dispose();
        _actionIsPad.Dispose();
    }
}
