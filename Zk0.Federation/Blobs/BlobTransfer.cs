using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Zk0.Federation.Protocol;

namespace Zk0.Federation.Blobs;

/// <summary>Chunked, hash-verified blob upload and download over the Fleet API (used by nodes and the Evaluator).</summary>
public static class BlobTransfer
{
    /// <summary>
    /// 64 KiB: below .NET's large-object threshold, so each chunk a receiver deserializes is a short-lived small object
    /// instead of a 1 MiB large-object allocation; with 1 MiB chunks, 50 nodes uploading at once left the SuperLink's
    /// large-object heap holding hundreds of MiB (zk0 bench federation, memory row).
    /// </summary>
    public const int ChunkSize = 1 << 16;

    /// <summary>Hashes the file, then streams it; the SuperLink re-hashes on arrival and rejects a mismatch.</summary>
    public static Task<UploadBlobReply> UploadFileAsync(
        Fleet.FleetClient client, string path, CancellationToken cancellationToken = default) =>
        UploadFileAsync(client, path, BlobCaller.Operator, cancellationToken);

    /// <inheritdoc cref="UploadFileAsync(Fleet.FleetClient, string, CancellationToken)"/>
    public static async Task<UploadBlobReply> UploadFileAsync(
        Fleet.FleetClient client, string path, BlobCaller caller, CancellationToken cancellationToken = default)
    {
        var hash = await ContentHash.OfFileAsync(path, cancellationToken);
        await using var file = File.OpenRead(path);
        return await UploadAsync(client, file, hash, file.Length, caller, cancellationToken);
    }

    /// <summary>Streams <paramref name="content"/> whose SHA-256 and length the caller already knows.</summary>
    public static async Task<UploadBlobReply> UploadAsync(
        Fleet.FleetClient client, Stream content, string sha256, long totalSize, BlobCaller caller, CancellationToken cancellationToken = default)
    {
        using var call = client.UploadBlob(cancellationToken: cancellationToken);
        var buffer = new byte[ChunkSize];
        var first = true;
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0 || first)
        {
            // The buffer is reused only after WriteAsync has serialized the chunk, so it can be sent without a copy.
            var chunk = new BlobChunk { Data = UnsafeByteOperations.UnsafeWrap(buffer.AsMemory(0, read)) };
            if (first)
            {
                chunk.Sha256 = sha256;
                chunk.TotalSize = totalSize;
                chunk.NodeId = caller.NodeId;
                chunk.RunId = caller.RunId;
                first = false;
            }
            await call.RequestStream.WriteAsync(chunk, cancellationToken);
        }
        await call.RequestStream.CompleteAsync();
        var reply = await call.ResponseAsync;
        if (reply.Sha256 != sha256)
            throw new BlobIntegrityException($"The SuperLink stored blob {reply.Sha256} but {sha256} was uploaded.");
        return reply;
    }

    /// <summary>
    /// Downloads blob <paramref name="sha256"/> to <paramref name="path"/> (temp file, verify, rename):
    /// a blob whose bytes do not hash to the requested value never appears at <paramref name="path"/>.
    /// </summary>
    public static Task<long> DownloadToFileAsync(
        Fleet.FleetClient client, string sha256, string path, CancellationToken cancellationToken = default) =>
        DownloadToFileAsync(client, sha256, path, BlobCaller.Operator, cancellationToken);

    /// <inheritdoc cref="DownloadToFileAsync(Fleet.FleetClient, string, string, CancellationToken)"/>
    public static async Task<long> DownloadToFileAsync(
        Fleet.FleetClient client, string sha256, string path, BlobCaller caller, CancellationToken cancellationToken = default)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.partial");
        try
        {
            long size;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                size = await DownloadAsync(client, sha256, file, caller, cancellationToken);
            File.Move(temp, path, overwrite: true);
            return size;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Streams blob <paramref name="sha256"/> into <paramref name="destination"/>, then checks size and hash.</summary>
    public static async Task<long> DownloadAsync(
        Fleet.FleetClient client, string sha256, Stream destination, BlobCaller caller, CancellationToken cancellationToken = default)
    {
        var request = new DownloadBlobRequest { Sha256 = sha256, NodeId = caller.NodeId, RunId = caller.RunId };
        using var call = client.DownloadBlob(request, cancellationToken: cancellationToken);
        using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long expectedSize = -1, received = 0;
        await foreach (var chunk in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            if (expectedSize < 0)
            {
                expectedSize = chunk.TotalSize;
                if (chunk.Sha256 != sha256)
                    throw new BlobIntegrityException($"Asked for blob {sha256} but the SuperLink announced {chunk.Sha256}.");
            }
            hasher.AppendData(chunk.Data.Span);
            await destination.WriteAsync(chunk.Data.Memory, cancellationToken);
            received += chunk.Data.Length;
        }
        if (received != expectedSize)
            throw new BlobIntegrityException($"Blob {sha256} download truncated: received {received} of {expectedSize} bytes.");
        var actual = Convert.ToHexStringLower(hasher.GetHashAndReset());
        if (actual != sha256)
            throw new BlobIntegrityException($"Blob {sha256} arrived corrupted: its bytes hash to {actual}.");
        return received;
    }
}
