using Zk0.Cli.Nodes;
using Zk0.SuperNode.Worker;

namespace Zk0.Tests.Cli.Nodes;

public sealed class NodeStatusLineTests
{
    [Fact]
    public void ATrainingNodeShowsItsStepLossAndUpload()
    {
        var line = NodeStatusLine.Describe(new NodeStatusSnapshot("train run r1 round 2", "node-1", "d", 3, null,
            new TaskProgress(2, Step: 4, Steps: 10, Loss: 0.5, UploadedBytes: 524288, UploadBytes: 2097152)));

        Assert.Equal("node node-1 · train run r1 round 2 · step 4/10 · loss 0.5 · upload 25% of 2.0 MiB · 3 tasks done", line);
    }

    [Fact]
    public void ANodeNotYetRegisteredSaysSo()
    {
        var line = NodeStatusLine.Describe(new NodeStatusSnapshot("starting", null, null, 0, "timeout", null));

        Assert.Equal("registering · starting · 0 tasks done · last error: timeout", line);
    }
}
