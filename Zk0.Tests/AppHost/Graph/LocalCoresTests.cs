using Zk0.AppHost.Graph;

namespace Zk0.Tests.AppHost.Graph;

public sealed class LocalCoresTests
{
    [Theory]
    [InlineData(4, 2, 1)]
    [InlineData(4, 16, 4)]
    [InlineData(3, 8, 2)]
    [InlineData(1, 8, 8)]
    [InlineData(0, 8, 8)]
    public void EachLocalNodeGetsAnEqualShareOfTheCoresAndAtLeastOne(int nodes, int cores, int expected) =>
        Assert.Equal(expected, LocalCores.PerNode(nodes, cores));
}
