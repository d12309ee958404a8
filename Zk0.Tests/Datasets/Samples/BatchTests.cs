using Zk0.Datasets.Loading;
using Zk0.Datasets.Reading;
using Zk0.Datasets.Samples;
using Zk0.Datasets.Writing;

namespace Zk0.Tests.Datasets.Samples;

public sealed class BatchTests
{
    [Fact]
    public async Task A_taken_image_array_stays_rented_after_the_batch_is_disposed_until_its_taker_gives_it_back_once()
    {
        var root = await TestDatasets.WriteAsync("batch-take-image", new LeRobotWriterOptions(), [6]);
        using var dataset = await LeRobotDataset.OpenAsync(root);
        var buffers = new LoaderBuffers();
        var loader = new DatasetLoader(dataset, new LoaderOptions { Shuffle = false, BatchSize = 6, Samples = new SampleOptions { Features = [TestDatasets.Camera] } }, buffers);

        await foreach (var batch in loader.ReadEpochAsync(0))
        {
            var (image, giveBack) = batch.TakeImage(TestDatasets.Camera);
            Assert.Same(batch.Image(TestDatasets.Camera).Data, image.Data);
            var twice = Assert.Throws<InvalidOperationException>(() => batch.TakeImage(TestDatasets.Camera));
            Assert.Contains("taken once", twice.Message);

            batch.Dispose();
            Assert.Equal(1, buffers.Images.RentedCount);
            Assert.Throws<ObjectDisposedException>(() => batch.TakeImage(TestDatasets.Camera));

            giveBack();
            giveBack();
            Assert.Equal(0, buffers.Images.RentedCount);
            Assert.Equal(1, buffers.Images.RetainedCount);
        }
    }

    [Fact]
    public async Task A_batch_built_without_a_pool_gives_its_image_away_with_nothing_to_give_back()
    {
        var root = await TestDatasets.WriteAsync("batch-take-unpooled", new LeRobotWriterOptions(), [4]);
        using var dataset = await LeRobotDataset.OpenAsync(root);
        var builder = new BatchBuilder(dataset, new SampleOptions { Features = [TestDatasets.Camera] });
        using var batch = builder.Build([0, 1]);

        var (image, giveBack) = batch.TakeImage(TestDatasets.Camera);

        Assert.Equal(2, image.Shape[0]);
        giveBack();
    }
}
