using TorchSharp;
using Zk0.Policy.Abstractions;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.Abstractions;

public sealed class GcSafeSgdTests
{
    [Fact]
    public void StepsAgainstTheGradientWithDecoupledWeightDecayAndFollowsLearningRateChanges()
    {
        using var weight = new TorchSharp.Modules.Parameter(tensor(new float[] { 1, 2 }));
        using var optimizer = new GcSafeSgd([weight], lr: 0.1, weightDecay: 0.01);

        // loss = Σ [0.5, −1]·w, so g = [0.5, −1]; w ← w·(1 − 0.1·0.01) − 0.1·g = [0.999 − 0.05, 1.998 + 0.1].
        Step(weight, optimizer);
        Assert.Equal(0.949f, Values(weight)[0], 5);
        Assert.Equal(2.098f, Values(weight)[1], 5);

        // At lr 0.2: w ← w·(1 − 0.002) − 0.2·g = [0.949·0.998 − 0.1, 2.098·0.998 + 0.2].
        foreach (var group in optimizer.ParamGroups) group.LearningRate = 0.2;
        Step(weight, optimizer);
        var values = Values(weight);
        Assert.Equal(0.847102f, values[0], 5);
        Assert.Equal(2.293804f, values[1], 5);
    }

    [Fact]
    public void TheRunsLocalOptimizerIsTheOneARoundCreates()
    {
        using var weight = new TorchSharp.Modules.Parameter(zeros(2));

        using var sgd = LocalOptimizers.Create(new LocalTrainingOptions { Optimizer = LocalOptimizer.Sgd, LearningRate = 0.5 }, [weight], adamEpsilon: 1e-8);
        using var adamW = LocalOptimizers.Create(new LocalTrainingOptions(), [weight], adamEpsilon: 1e-8);

        Assert.IsType<GcSafeSgd>(sgd);
        Assert.Equal(0.5, sgd.ParamGroups.Single().LearningRate);
        Assert.IsType<GcSafeAdamW>(adamW);
    }

    private static void Step(Tensor weight, optim.Optimizer optimizer)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        (weight * tensor(new float[] { 0.5f, -1 })).sum().backward();
        optimizer.step();
    }

    private static float[] Values(Tensor weight) => weight.detach().data<float>().ToArray();
}
