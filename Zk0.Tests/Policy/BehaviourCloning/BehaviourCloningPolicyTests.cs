using Zk0.Policy.Abstractions;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.BehaviourCloning;

public class BehaviourCloningPolicyTests
{
    [Fact]
    public void TrainingLowersTheLossOnASmallSyntheticDataset()
    {
        using var data = TinyPolicyData.Create(64, seed: 1);
        using var policy = TinyPolicyData.CreatePolicy(seed: 7);
        var before = policy.Evaluate(data.SequentialBatches(32), new PolicyEvaluationOptions());

        var result = policy.Train(data.ShuffledBatches(16, seed: 3), new LocalTrainingOptions { Steps = 60, LearningRate = 3e-3 });
        var after = policy.Evaluate(data.SequentialBatches(32), new PolicyEvaluationOptions());

        Assert.Equal(60, result.Steps);
        Assert.Equal(60 * 16, result.Examples);
        Assert.True(result.UpdateNorm > 0);
        Assert.True(after.Loss < before.Loss * 0.5, $"loss {before.Loss} -> {after.Loss}");
    }

    [Fact]
    public void SameSeedAndBatchesGiveTheSameModelAndLoss()
    {
        using var data = TinyPolicyData.Create(32, seed: 2);
        using var first = TinyPolicyData.CreatePolicy(seed: 11);
        using var second = TinyPolicyData.CreatePolicy(seed: 11);
        var options = new LocalTrainingOptions { Steps = 5, LearningRate = 1e-3, Seed = 5 };

        var a = first.Train(data.ShuffledBatches(8, seed: 9), options);
        var b = second.Train(data.ShuffledBatches(8, seed: 9), options);

        Assert.Equal(a.MeanLoss, b.MeanLoss);
        foreach (var ((name, x), (_, y)) in first.TrainableTensors.Zip(second.TrainableTensors))
            Assert.True(x.allclose(y, 0, 0), $"tensor {name} differs");
    }

    [Fact]
    public void SameSeedGivesTheSameInitialWeights()
    {
        using var first = TinyPolicyData.CreatePolicy(seed: 11);
        using var second = TinyPolicyData.CreatePolicy(seed: 11);

        foreach (var ((name, x), (_, y)) in first.TrainableTensors.Zip(second.TrainableTensors))
            Assert.True(x.allclose(y, 0, 0), $"tensor {name} differs");
    }

    [Fact]
    public void DifferentSeedsGiveDifferentInitialWeights()
    {
        using var first = TinyPolicyData.CreatePolicy(seed: 1);
        using var second = TinyPolicyData.CreatePolicy(seed: 2);

        Assert.False(first.TrainableTensors[0].Tensor.allclose(second.TrainableTensors[0].Tensor, 0, 0));
    }

    [Fact]
    public void EvaluationIsDeterministicAndLeavesTheModelUnchanged()
    {
        using var data = TinyPolicyData.Create(20, seed: 4);
        using var policy = TinyPolicyData.CreatePolicy(seed: 3);
        var weights = policy.TrainableTensors.Select(t => t.Tensor.clone()).ToList();

        var first = policy.Evaluate(data.SequentialBatches(6), new PolicyEvaluationOptions(Seed: 1));
        var second = policy.Evaluate(data.SequentialBatches(6), new PolicyEvaluationOptions(Seed: 1));

        Assert.Equal(first, second);
        Assert.Equal(20, first.Examples);
        Assert.Equal(4, first.Batches);
        Assert.All(policy.TrainableTensors.Zip(weights), pair => Assert.True(pair.First.Tensor.allclose(pair.Second, 0, 0)));
    }

    [Fact]
    public void PaddedActionsDoNotCountInTheLoss()
    {
        using var data = TinyPolicyData.Create(6, seed: 5);
        using var policy = TinyPolicyData.CreatePolicy(seed: 3);
        var batch = data.SequentialBatches(6).First();
        var clean = policy.Evaluate([batch], new PolicyEvaluationOptions()).Loss;

        var corrupted = data.SequentialBatches(6).First();
        var pad = corrupted.ActionIsPad;
        using (no_grad())
        {
            pad[.., -1] = tensor(true);
            corrupted.Actions[.., -1, ..] = tensor(1e6f);
        }
        var masked = policy.Evaluate([corrupted], new PolicyEvaluationOptions()).Loss;

        Assert.True(masked < 1e3, $"padded actions leaked into the loss: {masked}");
        Assert.NotEqual(clean, masked);
    }

    [Fact]
    public void AnUnknownPolicySettingValueIsRejectedWithItsName()
    {
        var error = Assert.Throws<ArgumentException>(() => TinyPolicyData.CreatePolicy(1, new() { ["bc-hidden"] = "wide" }));

        Assert.Contains("bc-hidden", error.Message);
    }

    [Theory]
    [InlineData("bc-keypoints", "0")]
    [InlineData("bc-shift-pixels", "-1")]
    [InlineData("bc-instruction-features", "-1")]
    public void BadKeypointAndShiftSettingsAreRejectedWithTheirNames(string key, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => TinyPolicyData.CreatePolicy(1, new() { [key] = value }));

        Assert.Contains(key, error.Message);
    }
}
