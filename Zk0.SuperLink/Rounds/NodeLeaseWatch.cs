using Zk0.SuperLink.State;

namespace Zk0.SuperLink.Rounds;

/// <summary>
/// Tells a run driver which nodes lost their lease, so a round need not wait for a dead node until its deadline.
/// For one full lease after the driver (re)started it judges nobody: while no SuperLink was up, nobody could renew a lease,
/// so a lapsed lease then says nothing about the node.
/// </summary>
public sealed class NodeLeaseWatch(ILinkState state, TimeSpan lease, TimeProvider clock)
{
    private readonly DateTimeOffset _graceEnds = clock.GetUtcNow() + lease;

    /// <summary>Whether the driver started less than one lease ago.</summary>
    public bool InGrace => clock.GetUtcNow() < _graceEnds;

    /// <summary>Those of <paramref name="nodeIds"/> without a live lease (forgotten nodes included); none during the grace period.</summary>
    public async Task<IReadOnlyList<string>> LostAsync(IReadOnlyCollection<string> nodeIds, CancellationToken ct)
    {
        if (nodeIds.Count == 0 || InGrace) return [];
        // Only the nodes asked about (pipelined), not every node online: the driver asks on each wake of a round.
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var nodes = await Task.WhenAll(nodeIds.Select(id => state.GetNodeAsync(id, ct)));
        return nodeIds.Zip(nodes).Where(pair => pair.Second is not { } node || !node.IsOnline(now)).Select(pair => pair.First).ToList();
    }
}
