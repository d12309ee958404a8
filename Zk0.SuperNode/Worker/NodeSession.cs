using Zk0.Policy.Abstractions;

namespace Zk0.SuperNode.Worker;

/// <summary>What a registered node knows about itself while it works through tasks.</summary>
public sealed record NodeSession(string NodeId, string DatasetId, IPolicyDataset TrainSplit);
