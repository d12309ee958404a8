using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Sampling;

/// <summary>
/// <c>select_action</c>'s queue: a predicted chunk [B, chunk, action_dim] is split into its first
/// <c>n_action_steps</c> actions [B, action_dim], served one per call; a new chunk is predicted only when it is empty.
/// </summary>
public sealed class ActionQueue(int actionSteps) : IDisposable
{
    private readonly Queue<Tensor> _actions = new();

    public int Count => _actions.Count;

    public Tensor Next(Func<Tensor> predictChunk)
    {
        if (_actions.Count == 0)
        {
            using var chunk = predictChunk();
            var steps = Math.Min(actionSteps, (int)chunk.shape[1]);
            for (var i = 0; i < steps; i++)
                _actions.Enqueue(chunk.select(1, i).clone().DetachFromDisposeScope());
        }
        return _actions.Dequeue();
    }

    public void Reset()
    {
        while (_actions.Count > 0) _actions.Dequeue().Dispose();
    }

    public void Dispose() => Reset();
}
