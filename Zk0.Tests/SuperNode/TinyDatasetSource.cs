using Zk0.Policy.Abstractions;
using Zk0.Tests.Policy.BehaviourCloning;

namespace Zk0.Tests.SuperNode;

/// <summary>Serves <see cref="TinyPolicyData"/> for URIs <c>tiny:NAME</c>: a different deterministic dataset per name and split.</summary>
public sealed class TinyDatasetSource : IPolicyDatasetSource
{
    public IPolicyDataset Open(string uri, DatasetSplit split)
    {
        if (!uri.StartsWith("tiny:", StringComparison.Ordinal))
            throw new ArgumentException($"Dataset URI '{uri}' has an unknown scheme; use tiny:NAME.");
        return TinyPolicyData.Create(split == DatasetSplit.Train ? 48 : 24, seed: StableSeed(uri) + (split == DatasetSplit.Train ? 0 : 1));
    }

    private static long StableSeed(string text) => text.Aggregate(17L, (hash, c) => hash * 31 + c) & 0xFFFFFF;
}
