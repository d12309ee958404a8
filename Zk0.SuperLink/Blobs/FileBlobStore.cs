using Microsoft.Extensions.Options;
using Zk0.Federation.Blobs;

namespace Zk0.SuperLink.Blobs;

/// <summary>
/// Content-addressed blobs in a directory (<c>ab/abcdef…</c>). Writes go to a temp file in the same directory and
/// are renamed into place only after their hash is checked, so a reader never sees a partial or wrong blob.
/// </summary>
public sealed class FileBlobStore
{
    private readonly string _root;

    public FileBlobStore(IOptions<BlobStoreOptions> options)
    {
        _root = Path.GetFullPath(options.Value.Directory);
        Directory.CreateDirectory(_root);
    }

    public string Root => _root;

    public bool Exists(string sha256) => ContentHash.IsWellFormed(sha256) && File.Exists(PathOf(sha256));

    /// <summary>The blob's file, for memory-mapped reads. Check <see cref="Exists"/> first.</summary>
    public string PathOf(string sha256)
    {
        if (!ContentHash.IsWellFormed(sha256))
            throw new ArgumentException($"'{sha256}' is not a SHA-256 content hash (64 lower-case hex characters).", nameof(sha256));
        return Path.Combine(_root, sha256[..2], sha256);
    }

    public long SizeOf(string sha256) => new FileInfo(PathOf(sha256)).Length;

    public FileStream OpenRead(string sha256) =>
        new(PathOf(sha256), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);

    public BlobWriter BeginWrite() => new(this);

    /// <summary>
    /// Every blob in the store, with its size and when it was last written (or last re-uploaded). A blob deleted while
    /// the store is listed is left out, not an error.
    /// </summary>
    public IEnumerable<StoredBlob> EnumerateBlobs()
    {
        foreach (var directory in new DirectoryInfo(_root).EnumerateDirectories("??"))
            foreach (var file in directory.EnumerateFiles())
                if (ContentHash.IsWellFormed(file.Name) && file.Name.StartsWith(directory.Name, StringComparison.Ordinal)
                    && Describe(file) is { } blob)
                    yield return blob;
    }

    private static StoredBlob? Describe(FileInfo file)
    {
        try
        {
            return new StoredBlob(file.Name, file.Length, file.LastWriteTimeUtc);
        }
        catch (FileNotFoundException)
        {
            return null; // listed by the directory read, deleted before its size was read
        }
    }

    /// <summary>Partial files of uploads in progress, or of uploads a crash interrupted.</summary>
    public IEnumerable<(string Path, DateTime LastWriteUtc)> EnumerateUploadsInProgress() =>
        new DirectoryInfo(_root).EnumerateFiles(".upload-*.partial").Select(f => (f.FullName, f.LastWriteTimeUtc));

    /// <summary>
    /// Deletes a blob last written before <paramref name="unchangedSince"/>. The blob is first renamed aside, so an upload
    /// of the same bytes that touched it meanwhile (see <see cref="BlobWriter.CommitAsync"/>) puts it back instead.
    /// </summary>
    public bool Delete(string sha256, DateTime unchangedSince)
    {
        var path = PathOf(sha256);
        var aside = Path.Combine(_root, $"{CollectingPrefix}{sha256}");
        try
        {
            File.Move(path, aside);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        if (File.GetLastWriteTimeUtc(aside) > unchangedSince)
        {
            PutBack(aside, path);
            return false;
        }
        File.Delete(aside);
        return true;
    }

    /// <summary>Blobs a crash left renamed aside by <see cref="Delete"/> go back in place; the next collection decides again.</summary>
    public void RestoreInterruptedDeletes()
    {
        foreach (var aside in Directory.EnumerateFiles(_root, $"{CollectingPrefix}*"))
            PutBack(aside, PathOf(Path.GetFileName(aside)[CollectingPrefix.Length..]));
    }

    private const string CollectingPrefix = ".collecting-";

    private static void PutBack(string aside, string path)
    {
        try
        {
            File.Move(aside, path);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(aside); // the same bytes were uploaded again meanwhile
        }
    }

    /// <summary>Writes a blob produced by <paramref name="write"/> and returns its hash and size.</summary>
    public async Task<(string Sha256, long Size)> WriteAsync(Action<Stream> write, CancellationToken ct = default)
    {
        await using var writer = BeginWrite();
        write(writer.Stream);
        return await writer.CommitAsync(expectedSha256: null, expectedSize: null, ct);
    }

    /// <summary>An in-progress write: bytes go through a SHA-256 hasher into a temp file.</summary>
    public sealed class BlobWriter : IAsyncDisposable
    {
        private readonly FileBlobStore _store;
        private readonly string _tempPath;
        private readonly FileStream _file;
        private readonly Sha256WriteStream _hashing;

        internal BlobWriter(FileBlobStore store)
        {
            _store = store;
            _tempPath = Path.Combine(store._root, $".upload-{Guid.NewGuid():N}.partial");
            _file = new FileStream(_tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            _hashing = new Sha256WriteStream(_file);
        }

        public Stream Stream => _hashing;
        public long BytesWritten => _hashing.Length;

        public ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken ct = default) => _hashing.WriteAsync(data, ct);

        /// <summary>Verifies hash and size (when given), then moves the blob into place. Throws <see cref="BlobIntegrityException"/> on mismatch.</summary>
        public async Task<(string Sha256, long Size)> CommitAsync(string? expectedSha256, long? expectedSize, CancellationToken ct = default)
        {
            await _hashing.FlushAsync(ct);
            await _file.DisposeAsync();
            var size = _hashing.Length;
            var actual = _hashing.Hash();
            if (expectedSize is { } want && want != size)
                throw new BlobIntegrityException($"Blob {expectedSha256} is truncated: received {size} of {want} bytes. Upload it again.");
            if (expectedSha256 is not null && expectedSha256 != actual)
                throw new BlobIntegrityException($"Blob upload does not match its hash: announced {expectedSha256}, the bytes hash to {actual}. Upload it again.");
            var target = _store.PathOf(actual);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (!TouchExisting(target)) File.Move(_tempPath, target, overwrite: true);
            return (actual, size);
        }

        /// <summary>The same bytes are already stored: refresh their write time, so blob collection treats them as new.</summary>
        private bool TouchExisting(string target)
        {
            if (!File.Exists(target)) return false;
            try
            {
                File.SetLastWriteTimeUtc(target, DateTime.UtcNow);
            }
            catch (FileNotFoundException)
            {
                return false; // collected just now: this upload puts it back
            }
            File.Delete(_tempPath);
            return true;
        }

        public async ValueTask DisposeAsync()
        {
            await _file.DisposeAsync();
            if (File.Exists(_tempPath)) File.Delete(_tempPath);
        }
    }
}

public sealed record StoredBlob(string Sha256, long Size, DateTime LastWriteUtc);
