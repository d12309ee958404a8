using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Zk0.Datasets.Frames;
using Zk0.Datasets.Reading;
using Zk0.Datasets.Samples;

namespace Zk0.Datasets.Loading;

/// <summary>
/// Batches of samples across episodes, shuffled deterministically from (seed, epoch), prepared by a background task into a
/// bounded channel. Frames of a pool of segments are decoded together, in file order, straight into the image arrays of
/// the pool's batches; video is cut into segments of consecutive frames so that a pool is a few forward passes.
/// Image memory is recycled, across loaders too when they share <see cref="LoaderBuffers"/>: dispose each batch
/// when done with it (after copying it into tensors) so its image arrays serve the next batches.
/// </summary>
public sealed class DatasetLoader
{
    private readonly LeRobotDataset _dataset;
    private readonly LoaderOptions _options;
    private readonly IReadOnlyList<EpisodeSpan> _episodes;
    private readonly BufferPool<byte> _imagePool;

    public BatchBuilder Builder { get; }
    public int SampleCount { get; }

    /// <param name="buffers">memory to recycle, shared with other loaders of the same data; a fresh set when null</param>
    public DatasetLoader(LeRobotDataset dataset, LoaderOptions? options = null, LoaderBuffers? buffers = null)
    {
        _dataset = dataset;
        buffers ??= new LoaderBuffers();
        _imagePool = buffers.Images;
        _options = options ??= new LoaderOptions();
        if (options.BatchSize < 1) throw new ArgumentException("Batch size must be at least 1.", nameof(options));
        if (options.SegmentLength < 1 || options.PoolSegments < 1 || options.PrefetchBatches < 1)
            throw new ArgumentException("SegmentLength, PoolSegments and PrefetchBatches must be at least 1.", nameof(options));
        _episodes = options.Episodes is null ? dataset.Episodes : options.Episodes.Select(dataset.Episode).ToList();
        Builder = new BatchBuilder(dataset, options.Samples);
        SampleCount = _episodes.Sum(e => e.Length);
    }

    public int BatchesPerEpoch => _options.DropLast ? SampleCount / _options.BatchSize : (SampleCount + _options.BatchSize - 1) / _options.BatchSize;

    /// <summary>The epoch's plan: pools whose frames are decoded together, each the batches cut from it. Depends only on (seed, epoch).</summary>
    public IReadOnlyList<List<int[]>> PlanEpoch(int epoch)
    {
        var batchSize = _options.BatchSize;
        // Frames stored as images (or no frames at all) are decoded one by one wherever they are, so a shuffled pool is
        // one batch of rows drawn from the whole split: a full shuffle, and nothing decoded that no batch uses.
        var rowByRow = _options.Shuffle && !Builder.Features.Any(f => f.IsVideo);
        var segmentLength = rowByRow ? 1 : _options.SegmentLength;
        var segments = new List<(int Start, int End)>();
        foreach (var episode in _episodes)
            for (var s = episode.RowStart; s < episode.RowEnd; s += segmentLength)
                segments.Add((s, Math.Min(episode.RowEnd, s + segmentLength)));
        var random = new Random(StableHash.Seed(_options.Seed, epoch));
        if (_options.Shuffle) random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(segments));

        var plan = new List<List<int[]>>();
        var carry = new List<int>();
        // Without shuffling a pool is one segment: frames stream from one ffmpeg process, and a few pools' frames are all
        // the memory it needs (PoolSegments only serves to mix segments).
        var poolSize = rowByRow ? batchSize : _options.Shuffle ? _options.PoolSegments : 1;
        for (var p = 0; p < segments.Count; p += poolSize)
        {
            var fresh = segments.Skip(p).Take(poolSize).SelectMany(s => Enumerable.Range(s.Start, s.End - s.Start)).ToArray();
            if (_options.Shuffle) random.Shuffle(fresh);
            var rows = carry.Concat(fresh).ToList();
            var batches = new List<int[]>();
            var last = p + poolSize >= segments.Count;
            var cut = 0;
            for (; cut + batchSize <= rows.Count; cut += batchSize) batches.Add(rows.GetRange(cut, batchSize).ToArray());
            carry = rows.GetRange(cut, rows.Count - cut);
            if (last && carry.Count > 0 && !_options.DropLast) { batches.Add(carry.ToArray()); carry = []; }
            if (batches.Count > 0) plan.Add(batches);
        }
        return plan;
    }

    /// <summary>One epoch of batches, produced in the background; the order depends only on (seed, epoch).</summary>
    public async IAsyncEnumerable<Batch> ReadEpochAsync(int epoch = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateBounded<Batch>(new BoundedChannelOptions(_options.PrefetchBatches)
        {
            SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(() => ProduceAsync(epoch, channel.Writer, stop.Token), stop.Token);
        try
        {
            await foreach (var batch in channel.Reader.ReadAllAsync(cancellationToken)) yield return batch;
        }
        finally
        {
            await stop.CancelAsync();
            try { await producer; } catch (OperationCanceledException) { }
            // Batches prepared but never taken (the consumer stopped early) give their images back to the shared pool.
            while (channel.Reader.TryRead(out var unread)) unread.Dispose();
        }
    }

    /// <summary>
    /// Two stages so ffmpeg decodes the next pool while this pool's batches are handed out: a decoder task fills a
    /// one-slot channel of decoded pools (frames already in their batches' image arrays), and the second stage makes
    /// the batches and drains them into the bounded batch channel.
    /// </summary>
    private async Task ProduceAsync(int epoch, ChannelWriter<Batch> writer, CancellationToken cancellationToken)
    {
        var pools = Channel.CreateBounded<(List<int[]> Batches, IReadOnlyList<Dictionary<string, BatchFrames>> Frames)>(1);
        var decoder = Task.Run(async () =>
        {
            try
            {
                foreach (var batches in PlanEpoch(epoch))
                {
                    var frames = Builder.ReadFrames(batches, _imagePool);
                    try
                    {
                        await pools.Writer.WriteAsync((batches, frames), cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        GiveBack(frames, from: 0);
                        throw;
                    }
                }
                pools.Writer.Complete();
            }
            catch (Exception e)
            {
                pools.Writer.TryComplete(e);
            }
        }, cancellationToken);
        try
        {
            await foreach (var (batches, frames) in pools.Reader.ReadAllAsync(cancellationToken))
            {
                var next = 0;
                try
                {
                    for (; next < batches.Count; next++)
                    {
                        var batch = Builder.Build(batches[next], frames[next], _imagePool);
                        try
                        {
                            await writer.WriteAsync(batch, cancellationToken);
                        }
                        catch (OperationCanceledException)
                        {
                            batch.Dispose();
                            next++;
                            throw;
                        }
                    }
                }
                finally
                {
                    // The epoch stopped before these batches were made: their image arrays go back for the next loader.
                    GiveBack(frames, from: next);
                }
            }
            writer.Complete();
        }
        catch (Exception e)
        {
            writer.TryComplete(e);
        }
        try { await decoder; } catch (OperationCanceledException) { }
        while (pools.Reader.TryRead(out var undelivered)) GiveBack(undelivered.Frames, from: 0);
    }

    private void GiveBack(IReadOnlyList<Dictionary<string, BatchFrames>> frames, int from)
    {
        foreach (var frame in frames.Skip(from).SelectMany(byCamera => byCamera.Values)) _imagePool.Return(frame.Data);
    }
}
