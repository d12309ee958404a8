namespace Zk0.Federation.Blobs;

/// <summary>The node that moves a blob and the run the blob is for; sent with the transfer so the SuperLink can count each node's traffic.</summary>
public sealed record BlobCaller(string NodeId, string RunId)
{
    /// <summary>An operator's tool (checkpoint export, initial-model upload): no node, no run.</summary>
    public static BlobCaller Operator { get; } = new("", "");
}
