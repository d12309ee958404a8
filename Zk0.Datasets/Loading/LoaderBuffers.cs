using Zk0.Datasets.Frames;

namespace Zk0.Datasets.Loading;

/// <summary>
/// A loader's recycled memory: decoded frames, from decoding until their pool's batches are built, and batch images,
/// until the consumer disposes the batch. Loaders that share one (a node's rounds over its dataset, one after another)
/// reuse each other's arrays instead of faulting in hundreds of megabytes of new pages for every epoch.
/// </summary>
public sealed class LoaderBuffers
{
    public BufferPool<byte> Frames { get; } = new(512L << 20);
    public BufferPool<byte> Images { get; } = new(256L << 20);
}
