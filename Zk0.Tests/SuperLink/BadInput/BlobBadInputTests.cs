using Grpc.Core;
using Zk0.Federation.Blobs;
using Zk0.Federation.Protocol;
using static Zk0.Tests.SuperLink.BadInput.Rejections;

namespace Zk0.Tests.SuperLink.BadInput;

/// <summary>Uploads and downloads that do not add up are refused, store nothing, and leave the run alongside as it was.</summary>
[Collection(BadInputCollection.Name)]
public sealed class BlobBadInputTests(RunAlongside run)
{
    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private async Task AssertNotStoredAsync(string sha256)
    {
        await Rejected(() => run.Fleet.DownloadBlob(new DownloadBlobRequest { Sha256 = sha256 }).ResponseStream.MoveNext(), StatusCode.NotFound, sha256);
        await run.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AnUploadWhoseBytesHashToSomethingElseIsRefusedAsDataLoss()
    {
        var bytes = RandomBytes(3 * BlobTransfer.ChunkSize / 2);
        var claimed = ContentHash.Of(RandomBytes(10));
        await Rejected(() => UploadRaw(run.Fleet, claimed, bytes.Length, bytes[..BlobTransfer.ChunkSize], bytes[BlobTransfer.ChunkSize..]),
            StatusCode.DataLoss, claimed, ContentHash.Of(bytes));
        await AssertNotStoredAsync(claimed);
    }

    [Fact]
    public async Task ATruncatedUploadIsRefusedAsDataLoss()
    {
        var bytes = RandomBytes(5000);
        await Rejected(() => UploadRaw(run.Fleet, ContentHash.Of(bytes), bytes.Length, bytes[..1000]), StatusCode.DataLoss, ContentHash.Of(bytes), "truncated", "1000");
        await AssertNotStoredAsync(ContentHash.Of(bytes));
    }

    [Fact]
    public async Task AnUploadLongerThanItsAnnouncedSizeIsRefused()
    {
        var bytes = RandomBytes(1000);
        await Rejected(() => UploadRaw(run.Fleet, ContentHash.Of(bytes), 10, bytes), StatusCode.InvalidArgument, ContentHash.Of(bytes), "total_size 10");
        await AssertNotStoredAsync(ContentHash.Of(bytes));
    }

    [Fact]
    public async Task AnUploadAnnouncingMoreThanMaxBlobBytesIsRefusedBeforeAnyByteIsStored()
    {
        var hash = ContentHash.Of(RandomBytes(16));
        var tooBig = run.Options.MaxBlobBytes + 1;
        await Rejected(() => UploadRaw(run.Fleet, hash, tooBig, [1, 2, 3]), StatusCode.InvalidArgument, hash, $"total_size {tooBig}", run.Options.MaxBlobBytes.ToString());
        await AssertNotStoredAsync(hash);
    }

    [Fact]
    public async Task AnEmptyUploadStreamIsRefused()
    {
        using var call = run.Fleet.UploadBlob();
        await call.RequestStream.CompleteAsync();
        await Rejected(() => call.ResponseAsync, StatusCode.InvalidArgument, "upload stream is empty", "sha256");
        await run.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AMalformedShaIsRefusedOnUploadAndDownload()
    {
        await Rejected(() => UploadRaw(run.Fleet, "not-a-hash", 3, [1, 2, 3]), StatusCode.InvalidArgument, "not-a-hash", "SHA-256");
        await Rejected(() => run.Fleet.DownloadBlob(new DownloadBlobRequest { Sha256 = "ABC" }).ResponseStream.MoveNext(), StatusCode.InvalidArgument, "'ABC'", "SHA-256");
        var huge = Huge(1 << 20);
        await Rejected(() => UploadRaw(run.Fleet, huge, 3, [1, 2, 3]), StatusCode.InvalidArgument, "SHA-256", $"({huge.Length} characters)");
        await run.AssertUnharmedAsync();
    }

    [Fact]
    public async Task BlobCallsNamingAnUnknownNodeOrRunAreRefused()
    {
        var bytes = RandomBytes(100);
        await Rejected(() => BlobTransfer.UploadAsync(run.Fleet, new MemoryStream(bytes), ContentHash.Of(bytes), bytes.Length, new BlobCaller("node-ghost", "")),
            StatusCode.NotFound, "node-ghost", "RegisterNode");
        await Rejected(() => run.Fleet.DownloadBlob(new DownloadBlobRequest { Sha256 = run.Round1Model, RunId = "run-ghost" }).ResponseStream.MoveNext(),
            StatusCode.NotFound, "run-ghost", "ListRuns");
        await run.AssertUnharmedAsync();
    }
}
