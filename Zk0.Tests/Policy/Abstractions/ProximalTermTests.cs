using Zk0.Policy.Abstractions;
using Zk0.Tests.Policy.BehaviourCloning;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.Abstractions;

public class ProximalTermTests
{
    [Fact]
    public void ProximalTermMatchesAHandComputedValue()
    {
        // mu/2 * (|(1,2)-(0,0)|^2 + |3-1|^2 + |(0.5,-0.5)-(0.5,0.5)|^2) = 0.25 * (5 + 4 + 1) = 2.5
        using var scope = NewDisposeScope();
        Tensor[] weights = [tensor(new[] { 1f, 2f }), tensor(new[,] { { 3f } }), tensor(new[] { 0.5f, -0.5f })];
        Tensor[] global = [tensor(new[] { 0f, 0f }), tensor(new[,] { { 1f } }), tensor(new[] { 0.5f, 0.5f })];

        var term = ProximalTerm.Compute(weights, global, mu: 0.5).item<float>();

        Assert.Equal(2.5f, term, 5);
        Assert.Equal(Math.Sqrt(10), ProximalTerm.DistanceNorm(weights, global), 6);
    }

    [Fact]
    public void ProximalGradientPullsWeightsTowardsTheGlobalModel()
    {
        // d/dw mu/2 * (w - g)^2 = mu * (w - g)
        using var scope = NewDisposeScope();
        var w = tensor(new[] { 3f, -1f }).requires_grad_();
        var g = tensor(new[] { 1f, 1f });

        ProximalTerm.Compute([w], [g], mu: 2.0).backward();

        Assert.Equal(new[] { 4f, -4f }, w.grad!.data<float>().ToArray());
    }

    [Fact]
    public void FedProxTrainingStaysCloserToTheGlobalModel()
    {
        using var data = TinyPolicyData.Create(32, seed: 1);
        using var plain = TinyPolicyData.CreatePolicy(seed: 3);
        using var proximal = TinyPolicyData.CreatePolicy(seed: 3);
        var options = new LocalTrainingOptions { Steps = 20, LearningRate = 1e-2 };

        var withoutProx = plain.Train(data.ShuffledBatches(8, seed: 2), options);
        var withProx = proximal.Train(data.ShuffledBatches(8, seed: 2), options with { ProximalMu = 50 });

        Assert.Equal(0, withoutProx.MeanProximalTerm);
        Assert.True(withProx.MeanProximalTerm > 0);
        Assert.True(withProx.UpdateNorm < withoutProx.UpdateNorm, $"{withProx.UpdateNorm} vs {withoutProx.UpdateNorm}");
    }
}
