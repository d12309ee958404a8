using Zk0.Datasets.Frames;

namespace Zk0.Datasets.Loading;

/// <summary>
/// A loader's recycled memory: batch image arrays, from the decoding of their pool until the consumer disposes the batch.
/// Loaders that share one (a node's rounds over its dataset, one after another) reuse each other's arrays instead of
/// faulting in hundreds of megabytes of new pages for every epoch.
/// </summary>
public sealed class LoaderBuffers
{
    public BufferPool<byte> Images { get; } = new(768L << 20);
}
