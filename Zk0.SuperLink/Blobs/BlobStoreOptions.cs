namespace Zk0.SuperLink.Blobs;

public sealed class BlobStoreOptions
{
    /// <summary>A directory every SuperLink replica can reach; blobs are files named by their SHA-256.</summary>
    public string Directory { get; set; } = Path.Combine("data", "superlink", "blobs");
}
