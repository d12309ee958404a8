using Microsoft.Extensions.Options;
using Zk0.SuperLink.Blobs;

namespace Zk0.Tests.SuperLink.Blobs;

public sealed class FileBlobStoreCollectionTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("zk0-blobs-").FullName;
    private readonly FileBlobStore _store;

    public FileBlobStoreCollectionTests() => _store = new FileBlobStore(Options.Create(new BlobStoreOptions { Directory = _root }));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private async Task<string> WriteAsync(byte[] bytes) => (await _store.WriteAsync(s => s.Write(bytes))).Sha256;

    private void Age(string sha256) => File.SetLastWriteTimeUtc(_store.PathOf(sha256), DateTime.UtcNow.AddHours(-1));

    [Fact]
    public async Task ABlobUnchangedSinceTheCutoffIsDeleted()
    {
        var sha = await WriteAsync([1, 2, 3]);
        Age(sha);

        Assert.True(_store.Delete(sha, DateTime.UtcNow.AddMinutes(-10)));
        Assert.False(_store.Exists(sha));
        Assert.Empty(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task UploadingBytesAlreadyStoredMakesThemNewSoCollectionKeepsThem()
    {
        var sha = await WriteAsync([4, 5, 6]);
        Age(sha);

        await WriteAsync([4, 5, 6]);

        Assert.False(_store.Delete(sha, DateTime.UtcNow.AddMinutes(-10)));
        Assert.True(_store.Exists(sha));
        Assert.Equal([sha], _store.EnumerateBlobs().Select(b => b.Sha256));
    }

    [Fact]
    public async Task ABlobACrashLeftRenamedAsideIsPutBack()
    {
        var sha = await WriteAsync([7, 8, 9]);
        File.Move(_store.PathOf(sha), Path.Combine(_root, $".collecting-{sha}"));

        _store.RestoreInterruptedDeletes();

        Assert.True(_store.Exists(sha));
        Assert.Equal([7, 8, 9], await File.ReadAllBytesAsync(_store.PathOf(sha)));
    }

    [Fact]
    public async Task EnumerationListsBlobsButNotPartialUploadsOrRunFolders()
    {
        var sha = await WriteAsync([1]);
        await using (var writer = _store.BeginWrite())
        {
            await writer.AppendAsync(new byte[] { 2 });
            Assert.Single(_store.EnumerateUploadsInProgress());
        }
        Directory.CreateDirectory(Path.Combine(_root, "runs", "run-x", "strategy-state"));

        Assert.Equal([sha], _store.EnumerateBlobs().Select(b => b.Sha256));
        Assert.Empty(_store.EnumerateUploadsInProgress());
    }

    [Fact]
    public async Task ABlobDeletedWhileTheStoreIsListedIsLeftOut()
    {
        var (first, second) = await TwoBlobsInOneFolderAsync();
        using var listing = _store.EnumerateBlobs().GetEnumerator();
        Assert.True(listing.MoveNext());
        var listedFirst = listing.Current.Sha256;

        // The folder's entries are already read; the blob not yet described goes now, as a collection pass would take it.
        File.Delete(_store.PathOf(listedFirst == first ? second : first));

        Assert.False(listing.MoveNext());
    }

    /// <summary>
    /// Two blobs in the same two-character folder and no others: blobs are written until two share a folder (about 20
    /// writes for 256 folders), then the rest are deleted.
    /// </summary>
    private async Task<(string, string)> TwoBlobsInOneFolderAsync()
    {
        var byFolder = new Dictionary<string, string>();
        for (var i = 0; ; i++)
        {
            var sha = await WriteAsync(BitConverter.GetBytes(i));
            if (byFolder.Remove(sha[..2], out var other))
            {
                foreach (var rest in byFolder.Values) File.Delete(_store.PathOf(rest));
                return (other, sha);
            }
            byFolder[sha[..2]] = sha;
        }
    }
}
