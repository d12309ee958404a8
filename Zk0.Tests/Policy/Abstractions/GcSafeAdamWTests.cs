using TorchSharp;
using TorchSharp.Modules;
using Zk0.Policy.Abstractions;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.Abstractions;

public sealed class GcSafeAdamWTests
{
    private static (Linear Model, optim.Optimizer Optimizer) Make(Func<IEnumerable<Parameter>, optim.Optimizer> optimizer)
    {
        random.manual_seed(7);
        var model = nn.Linear(6, 3);
        return (model, optimizer(model.parameters()));
    }

    private static void Steps(Linear model, optim.Optimizer optimizer, int steps)
    {
        random.manual_seed(11);
        for (var step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            if (step == 3) foreach (var group in optimizer.ParamGroups) group.LearningRate = 3e-3;
            optimizer.zero_grad();
            var input = randn(4, 6);
            var loss = model.forward(input).pow(2).mean();
            loss.backward();
            optimizer.step();
        }
    }

    private static bool Same(Tensor a, Tensor b)
    {
        using var equal = a.eq(b).all();
        return equal.item<bool>();
    }

    [Fact]
    public void Gives_the_same_weights_to_the_bit_as_TorchSharps_AdamW_and_follows_learning_rate_changes()
    {
        var (expected, theirs) = Make(p => optim.AdamW(p, 1e-2, 0.9, 0.95, 1e-8, 0.01));
        var (actual, ours) = Make(p => new GcSafeAdamW(p, 1e-2, 0.9, 0.95, 1e-8, 0.01));
        using (expected) using (theirs) using (actual) using (ours)
        {
            using var initial = actual.weight!.detach().clone();
            Assert.True(Same(expected.weight!, actual.weight!));
            Steps(expected, theirs, 8);
            Steps(actual, ours, 8);
            Assert.False(Same(initial, actual.weight!));
            Assert.True(Same(expected.weight!, actual.weight!));
            Assert.True(Same(expected.bias!, actual.bias!));
        }
    }
}
