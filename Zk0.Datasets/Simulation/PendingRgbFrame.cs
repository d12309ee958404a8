// TEMPORARY until data-format's Zk0.Datasets.Frames.RgbFrame is merged; delete on merge.
namespace Zk0.Datasets.Frames;

public sealed record RgbFrame(int Width, int Height, byte[] Pixels);
