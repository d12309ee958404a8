using Zk0.Datasets;
using Zk0.Datasets.Loading;
using Zk0.Datasets.Reading;
using Zk0.Datasets.Samples;
using Zk0.Datasets.Writing;

namespace Zk0.Tests.Datasets.Loading;

public class DatasetLoaderTests
{
    private static async Task<List<Batch>> EpochAsync(DatasetLoader loader, int epoch = 0)
    {
        var batches = new List<Batch>();
        await foreach (var batch in loader.ReadEpochAsync(epoch)) batches.Add(batch);
        return batches;
    }

    private static async Task<LeRobotDataset> VectorsOnlyAsync() => await LeRobotDataset.OpenAsync(
        await TestDatasets.WriteAsync("loader", new LeRobotWriterOptions(), [9, 7, 8, 6, 5], spec: TestDatasets.Spec(cameras: 0)));

    [Fact]
    public async Task AnEpochVisitsEveryFrameOnceInShuffledBatchesThatMixEpisodes()
    {
        using var dataset = await VectorsOnlyAsync();
        var loader = new DatasetLoader(dataset, new LoaderOptions { BatchSize = 4, Seed = 3, SegmentLength = 4, PoolSegments = 3 });

        var batches = await EpochAsync(loader);

        Assert.Equal(loader.BatchesPerEpoch, batches.Count);
        Assert.Equal(Enumerable.Range(0, dataset.FrameCount), batches.SelectMany(b => b.Rows).Order());
        Assert.All(batches.SkipLast(1), b => Assert.Equal(4, b.Size));
        Assert.Contains(batches, b => b.EpisodeIndices.Distinct().Count() > 1);
        Assert.NotEqual(Enumerable.Range(0, dataset.FrameCount), batches.SelectMany(b => b.Rows));
    }

    [Fact]
    public async Task ShuffledImageFramesArePooledOneBatchAtATimeFromTheWholeSplitWhileVideoIsPooledBySegments()
    {
        using var images = await LeRobotDataset.OpenAsync(
            await TestDatasets.WriteAsync("loader-image-pools", new LeRobotWriterOptions { Cameras = CameraEncoding.ParquetImages }, [9, 7, 8, 6, 5]));
        using var video = await LeRobotDataset.OpenAsync(
            await TestDatasets.WriteAsync("loader-video-pools", new LeRobotWriterOptions { Cameras = CameraEncoding.H264 }, [9, 7, 8, 6, 5]));
        var options = new LoaderOptions { BatchSize = 2, Seed = 3, SegmentLength = 4, PoolSegments = 3 };

        var imagePlan = new DatasetLoader(images, options).PlanEpoch(0);
        var videoPlan = new DatasetLoader(video, options).PlanEpoch(0);

        Assert.All(imagePlan, pool => Assert.Single(pool));
        var rows = imagePlan.SelectMany(pool => pool.Single()).ToList();
        Assert.Equal(Enumerable.Range(0, images.FrameCount), rows.Order());
        // Row by row, a row's neighbour in the file is its neighbour in the epoch only by chance (1 in 35 here).
        Assert.True(rows.Zip(rows.Skip(1)).Count(pair => Math.Abs(pair.First - pair.Second) == 1) < 5);
        Assert.Contains(videoPlan, pool => pool.Count > 2);
    }

    [Fact]
    public async Task TheSameSeedGivesTheSameOrderAndAnotherSeedOrEpochAnother()
    {
        using var dataset = await VectorsOnlyAsync();
        LoaderOptions Options(int seed) => new() { BatchSize = 5, Seed = seed };

        var first = (await EpochAsync(new DatasetLoader(dataset, Options(7)))).SelectMany(b => b.Rows).ToList();
        var again = (await EpochAsync(new DatasetLoader(dataset, Options(7)))).SelectMany(b => b.Rows).ToList();
        var otherSeed = (await EpochAsync(new DatasetLoader(dataset, Options(8)))).SelectMany(b => b.Rows).ToList();
        var otherEpoch = (await EpochAsync(new DatasetLoader(dataset, Options(7)), epoch: 1)).SelectMany(b => b.Rows).ToList();

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherSeed);
        Assert.NotEqual(first, otherEpoch);
    }

    [Fact]
    public async Task WithoutShuffleBatchesFollowTheRowsAndDropLastDropsTheRemainder()
    {
        using var dataset = await VectorsOnlyAsync();
        var loader = new DatasetLoader(dataset, new LoaderOptions { BatchSize = 10, Shuffle = false, DropLast = true });

        var batches = await EpochAsync(loader);

        Assert.Equal(3, batches.Count);
        Assert.Equal(Enumerable.Range(0, 30), batches.SelectMany(b => b.Rows));
    }

    [Fact]
    public async Task OnlyTheChosenEpisodesAreLoaded()
    {
        using var dataset = await VectorsOnlyAsync();
        var split = EpisodeSplit.Create(dataset.Episodes.Select(e => e.EpisodeIndex), 0.4, seed: 1);
        var loader = new DatasetLoader(dataset, new LoaderOptions { Episodes = split.Train, BatchSize = 3 });

        var batches = await EpochAsync(loader);

        Assert.Equal(split.Train.Order(), batches.SelectMany(b => b.EpisodeIndices).Distinct().Order());
        Assert.Equal(split.Train.Sum(e => dataset.Episode(e).Length), batches.Sum(b => b.Size));
    }

    [Fact]
    public void TheEpisodeSplitIsDeterministicDisjointAndComplete()
    {
        var episodes = Enumerable.Range(0, 20).ToList();

        var split = EpisodeSplit.Create(episodes, 0.2, seed: 42);
        var again = EpisodeSplit.Create(episodes.AsEnumerable().Reverse(), 0.2, seed: 42);
        var other = EpisodeSplit.Create(episodes, 0.2, seed: 43);

        Assert.Equal(4, split.HeldOut.Count);
        Assert.Equal(split.HeldOut, again.HeldOut);
        Assert.Empty(split.Train.Intersect(split.HeldOut));
        Assert.Equal(episodes, split.Train.Concat(split.HeldOut).Order());
        Assert.NotEqual(split.HeldOut, other.HeldOut);
    }

    [Fact]
    public async Task VideoFramesFromThePrefetchedPoolsMatchDirectReads()
    {
        var root = await TestDatasets.WriteAsync("loader-video", new LeRobotWriterOptions { Cameras = CameraEncoding.H264, MaxEpisodesPerFile = 2 }, [6, 5, 4]);
        using var dataset = await LeRobotDataset.OpenAsync(root);
        var loader = new DatasetLoader(dataset, new LoaderOptions
        {
            BatchSize = 4, Seed = 5, SegmentLength = 3, PoolSegments = 2,
            Samples = SampleOptions.ActionChunk(TestDatasets.Fps, 3) with { Normalization = new Dictionary<string, NormalizationMode>() },
        });

        var batches = await EpochAsync(loader);

        var frameBytes = 64 * 64 * 3;
        foreach (var batch in batches)
            for (var b = 0; b < batch.Size; b++)
            {
                Assert.Equal([batch.Size, 64, 64, 3], batch.Image(TestDatasets.Camera).Shape);
                Assert.Equal(dataset.ReadFrame(TestDatasets.Camera, batch.Rows[b]).Pixels,
                    batch.Image(TestDatasets.Camera).Data.AsSpan(b * frameBytes, frameBytes).ToArray());
                Assert.Equal(batch.FrameIndices[b] + 0.5f, batch["action"].Data[b * 3 * 6 + 1]);
            }
        Assert.Equal(15, batches.Sum(b => b.Size));
    }

    [Fact]
    public async Task DisposedBatchesLendTheirImageArraysToLaterOnesWhileAHeldBatchKeepsItsPixels()
    {
        // Six pools of 16 frames: the decoder runs at most a few pools ahead of the consumer (pools are decoded straight
        // into their batches' arrays), so the later pools find arrays of disposed batches whatever the timing.
        var root = await TestDatasets.WriteAsync("loader-pool", new LeRobotWriterOptions { Cameras = CameraEncoding.H264 }, [48, 48]);
        using var dataset = await LeRobotDataset.OpenAsync(root);
        var loader = new DatasetLoader(dataset, new LoaderOptions { Shuffle = false, BatchSize = 4, PrefetchBatches = 1, Samples = new SampleOptions { Features = [TestDatasets.Camera] } });

        Batch? held = null;
        var disposed = new List<byte[]>();
        var reused = 0;
        await foreach (var batch in loader.ReadEpochAsync(0))
        {
            if (held is null) { held = batch; continue; }
            var pixels = batch.Image(TestDatasets.Camera).Data;
            if (disposed.Any(d => ReferenceEquals(d, pixels))) reused++;
            Assert.NotSame(held.Image(TestDatasets.Camera).Data, pixels);
            for (var b = 0; b < batch.Size; b++)
                AssertRed(batch, b);
            disposed.Add(pixels);
            batch.Dispose();
            batch.Dispose();
        }

        Assert.NotNull(held);
        for (var b = 0; b < held.Size; b++) AssertRed(held, b);
        Assert.True(reused > 0, "no batch reused the image array of a disposed one");
        held.Dispose();
    }

    [Fact]
    public async Task LoadersSharingBuffersReuseTheImageArraysOfTheOnesBefore()
    {
        var root = await TestDatasets.WriteAsync("loader-shared", new LeRobotWriterOptions { Cameras = CameraEncoding.H264 }, [12, 12]);
        using var dataset = await LeRobotDataset.OpenAsync(root);
        var buffers = new LoaderBuffers();
        var options = new LoaderOptions { Shuffle = false, BatchSize = 4, Samples = new SampleOptions { Features = [TestDatasets.Camera] } };

        var seen = new HashSet<byte[]>(ReferenceEqualityComparer.Instance);
        await foreach (var batch in new DatasetLoader(dataset, options, buffers).ReadEpochAsync(0))
            using (batch) seen.Add(batch.Image(TestDatasets.Camera).Data);
        var retainedImages = buffers.Images.RetainedCount;
        var reused = 0;
        await foreach (var batch in new DatasetLoader(dataset, options, buffers).ReadEpochAsync(0))
            using (batch)
            {
                if (seen.Contains(batch.Image(TestDatasets.Camera).Data)) reused++;
                AssertRed(batch, 0);
            }

        Assert.True(retainedImages > 0, "the first loader gave no image array back");
        Assert.True(reused > 0, "no batch of the second loader reused an image array of the first");
        Assert.Equal(0, buffers.Images.RentedCount);
    }

    [Fact]
    public async Task AConsumerThatStopsEarlyLeavesNothingRentedInTheSharedBuffers()
    {
        var root = await TestDatasets.WriteAsync("loader-early-stop", new LeRobotWriterOptions { Cameras = CameraEncoding.H264 }, [16, 16, 16]);
        using var dataset = await LeRobotDataset.OpenAsync(root);
        var buffers = new LoaderBuffers();
        var loader = new DatasetLoader(dataset, new LoaderOptions { BatchSize = 2, Seed = 4, SegmentLength = 4, PoolSegments = 2 }, buffers);

        var taken = 0;
        await foreach (var batch in loader.ReadEpochAsync(0))
        {
            batch.Dispose();
            if (++taken == 2) break;
        }

        Assert.Equal(0, buffers.Images.RentedCount);
        Assert.True(buffers.Images.RetainedCount > 0);
    }

    private static void AssertRed(Batch batch, int b)
    {
        var expected = TestDatasets.FrameColour(batch.EpisodeIndices[b], batch.FrameIndices[b]);
        Assert.InRange(batch.Image(TestDatasets.Camera).Data[(b * 64 * 64 + 100) * 3], expected.R - 6, expected.R + 6);
    }

    [Fact]
    public async Task AFailureWhileLoadingSurfacesToTheConsumer()
    {
        var root = await TestDatasets.WriteAsync("loader-broken", new LeRobotWriterOptions { Cameras = CameraEncoding.H264 }, [4]);
        using var dataset = await LeRobotDataset.OpenAsync(root);
        foreach (var video in Directory.EnumerateFiles(Path.Combine(root, "videos"), "*.mp4", SearchOption.AllDirectories)) File.Delete(video);
        var loader = new DatasetLoader(dataset, new LoaderOptions { BatchSize = 2 });

        var error = await Assert.ThrowsAsync<DatasetException>(() => EpochAsync(loader));
        Assert.Contains("missing", error.Message);
    }
}
