using System.Collections.Concurrent;
using Zk0.Policy.Abstractions;

namespace Zk0.Policy.Evaluation;

/// <summary>The held-out split of each evaluation dataset, opened once and kept for every round.</summary>
public sealed class HeldOutSets(IPolicyDatasetSource source) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<IPolicyDataset>> _sets = new(StringComparer.Ordinal);

    public IPolicyDataset Get(string uri) =>
        _sets.GetOrAdd(uri, u => new Lazy<IPolicyDataset>(() => source.Open(u, DatasetSplit.HeldOut))).Value;

    public void Dispose()
    {
        foreach (var set in _sets.Values.Where(s => s.IsValueCreated)) set.Value.Dispose();
    }
}
