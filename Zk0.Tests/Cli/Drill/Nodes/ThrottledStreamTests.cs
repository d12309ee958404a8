using System.Diagnostics;
using Zk0.Cli.Drill.Nodes;

namespace Zk0.Tests.Cli.Drill.Nodes;

public sealed class ThrottledStreamTests
{
    [Fact]
    public async Task Reads_every_byte_no_faster_than_the_rate()
    {
        var content = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();
        await using var throttled = new ThrottledStream(new MemoryStream(content), bytesPerSecond: 200_000);
        using var copy = new MemoryStream();

        var watch = Stopwatch.StartNew();
        await throttled.CopyToAsync(copy);

        Assert.Equal(content, copy.ToArray());
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.4), $"100 kB at 200 kB/s took {watch.Elapsed.TotalSeconds:0.00} s");
    }
}
