namespace Zk0.Federation.Strategies;

/// <summary>
/// Releases a round's updates for folding in one fixed order, whatever order they arrive in: floating-point sums
/// depend on the order of their terms, so folding results as they arrive would let two identical runs commit
/// different models. An update that arrives before its turn waits as a reference to its blob on disk (no memory);
/// it is released once every node before it in the order has been released or is known to contribute nothing.
/// </summary>
public sealed class FoldOrder
{
    private readonly IReadOnlyList<string> _order;
    private readonly Dictionary<string, TrainUpdate?> _settled = new(StringComparer.Ordinal);
    private int _next;

    /// <param name="order">Node ids in fold order (the round's selected nodes in canonical order, see <see cref="NodeSampling.CanonicalOrder"/>).</param>
    public FoldOrder(IReadOnlyList<string> order)
    {
        var duplicate = order.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Node {duplicate.Key} appears twice in the fold order; each selected node contributes at most one update.", nameof(order));
        _order = order;
    }

    /// <summary>True once every node in the order has been released or skipped.</summary>
    public bool IsComplete => _next == _order.Count;

    public bool Expects(string nodeId) => _order.Contains(nodeId, StringComparer.Ordinal);

    /// <summary>An update arrived; returns the updates now due for folding, in fold order (possibly none yet).</summary>
    public IReadOnlyList<TrainUpdate> Offer(TrainUpdate update)
    {
        Settle(update.NodeId, update);
        return Release();
    }

    /// <summary>The node will contribute nothing (it reported an error, or its result was refused before folding).</summary>
    public IReadOnlyList<TrainUpdate> Skip(string nodeId)
    {
        Settle(nodeId, null);
        return Release();
    }

    /// <summary>The round closes (its deadline passed): nodes that have not reported are skipped, the waiting updates released.</summary>
    public IReadOnlyList<TrainUpdate> Close()
    {
        foreach (var node in _order) _settled.TryAdd(node, null);
        return Release();
    }

    private void Settle(string nodeId, TrainUpdate? update)
    {
        if (!Expects(nodeId))
            throw new ArgumentException($"Node {nodeId} is not in this round's fold order; refuse results of unselected nodes before folding.", nameof(nodeId));
        if (!_settled.TryAdd(nodeId, update))
            throw new InvalidOperationException($"Node {nodeId} already has a result in this round; only its first one counts.");
    }

    private List<TrainUpdate> Release()
    {
        var due = new List<TrainUpdate>();
        while (_next < _order.Count && _settled.TryGetValue(_order[_next], out var update))
        {
            _next++;
            if (update is not null) due.Add(update);
        }
        return due;
    }
}
