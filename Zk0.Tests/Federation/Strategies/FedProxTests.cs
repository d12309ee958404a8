using Zk0.Federation.Strategies;

namespace Zk0.Tests.Federation.Strategies;

public sealed class FedProxTests : IDisposable
{
    private readonly VectorModels _models = new();

    public void Dispose() => _models.Dispose();

    [Fact]
    public void NodesGetTheConfiguredProximalMuWithTheirTask()
    {
        var nodes = new[] { new AvailableNode("n1", "d1", 10), new AvailableNode("n2", "d2", 10) };

        var configured = VectorModels.Strategy("strategy=fedprox proximal-mu=0.1").ConfigureTrain(2, VectorModels.Config("proximal-mu=0.1"), nodes);
        var defaulted = VectorModels.Strategy("strategy=fedprox").ConfigureTrain(2, VectorModels.Config(), nodes);

        Assert.All(configured, a => Assert.Equal("0.1", a.Config["proximal-mu"]));
        Assert.All(defaulted, a => Assert.Equal("0.01", a.Config["proximal-mu"]));
        Assert.All(defaulted, a => Assert.Equal("2", a.Config["server-round"]));
    }

    [Fact]
    public void AggregationIsTheExampleWeightedMean()
    {
        var global = _models.Global(0, 0, 0);

        var model = _models.Round(VectorModels.Strategy("strategy=fedprox"), 1, global,
            _models.Update("a", 1, 1, 2, 3), _models.Update("b", 3, 3, 6, 9));

        // (1·1 + 3·3)/4 = 2.5, (2 + 18)/4 = 5, (3 + 27)/4 = 7.5
        Assert.Equal([2.5f, 5f, 7.5f], VectorModels.W(model));
        Assert.Equal([7.5f], VectorModels.Read(model, "frozen"));
        Assert.Equal(42, VectorModels.Step(model));
    }
}
