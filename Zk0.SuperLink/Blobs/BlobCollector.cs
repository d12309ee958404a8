using Microsoft.Extensions.Options;
using Zk0.SuperLink.State;

namespace Zk0.SuperLink.Blobs;

/// <summary>
/// One collection pass: reads what runs need, then deletes the other blobs once they are older than the grace period,
/// interrupted uploads' partial files, and the strategy state of finished runs. The set of needed blobs is read before
/// the store is listed and every blob written or re-uploaded since is younger than the grace period, so a pass (or a
/// crash in the middle of one) never deletes a blob a run still needs.
/// </summary>
public sealed class BlobCollector(ILinkState state, FileBlobStore blobs, IOptions<BlobCollectionOptions> options, TimeProvider clock)
{
    private readonly BlobCollectionOptions _options = options.Value;

    public async Task<BlobCollectionReport> CollectAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        blobs.RestoreInterruptedDeletes();
        var needed = await BlobReferences.ReadAsync(state, _options, now.ToUnixTimeMilliseconds(), ct);
        var cutoff = (now - _options.Grace).UtcDateTime;
        long deleted = 0, freed = 0, kept = 0, keptBytes = 0;
        foreach (var blob in blobs.EnumerateBlobs())
        {
            ct.ThrowIfCancellationRequested();
            if (needed.Contains(blob.Sha256) || blob.LastWriteUtc > cutoff)
            {
                kept++;
                keptBytes += blob.Size;
                continue;
            }
            if (!blobs.Delete(blob.Sha256, cutoff)) continue;
            deleted++;
            freed += blob.Size;
        }
        foreach (var partial in blobs.EnumerateUploadsInProgress().Where(p => p.LastWriteUtc <= cutoff))
            TryDelete(partial.Path);
        var runStates = await DeleteFinishedStrategyStateAsync(ct);
        return new BlobCollectionReport(deleted, freed, kept, keptBytes, runStates);
    }

    /// <summary>Server-side optimizer state is only read while a run is driven; a finished (or forgotten) run's goes.</summary>
    private async Task<int> DeleteFinishedStrategyStateAsync(CancellationToken ct)
    {
        var runsDirectory = Path.Combine(blobs.Root, "runs");
        if (!Directory.Exists(runsDirectory)) return 0;
        var deleted = 0;
        foreach (var directory in Directory.EnumerateDirectories(runsDirectory))
        {
            if (await state.GetRunAsync(Path.GetFileName(directory), ct) is { IsTerminal: false }) continue;
            try
            {
                Directory.Delete(directory, recursive: true);
                deleted++;
            }
            catch (IOException) { }
        }
        return deleted;
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { }
    }
}

public sealed record BlobCollectionReport(long BlobsDeleted, long BytesFreed, long BlobsKept, long BytesKept, int RunStatesDeleted);
