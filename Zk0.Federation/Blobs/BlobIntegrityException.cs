namespace Zk0.Federation.Blobs;

/// <summary>A blob's bytes do not match its content hash or announced size.</summary>
public sealed class BlobIntegrityException(string message) : IOException(message);
