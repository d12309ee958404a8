using Zk0.Policy.Abstractions;
using Zk0.Policy.SmolVla.Federation;
using Zk0.Tests.Policy.BehaviourCloning;

namespace Zk0.Tests.Policy.SmolVla.Federation;

public sealed class SmolVlaFederatedPolicyTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("zk0-smolvla-fed-");

    [Fact]
    public void Only_the_tensors_LeRobot_trains_are_exchanged_under_their_LeRobot_names()
    {
        using var policy = TinySmolVla.Create(seed: 1);
        var names = policy.TrainableTensors.Select(t => t.Name).ToList();

        Assert.Equal("smolvla", policy.PolicyType);
        Assert.Contains("model.state_proj.weight", names);
        Assert.Contains("model.action_out_proj.weight", names);
        Assert.Contains(names, n => n.StartsWith("model.vlm_with_expert.lm_expert.", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.StartsWith("model.vlm_with_expert.vlm.", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_trainings_from_the_same_seed_export_byte_identical_payloads()
    {
        var first = TrainAndExport(initSeed: 3, trainSeed: 9, "a.safetensors");
        var second = TrainAndExport(initSeed: 3, trainSeed: 9, "b.safetensors");
        var otherSeed = TrainAndExport(initSeed: 3, trainSeed: 10, "c.safetensors");

        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        Assert.NotEqual(File.ReadAllBytes(first), File.ReadAllBytes(otherSeed));
    }

    [Fact]
    public void Training_lowers_the_fixed_noise_evaluation_loss()
    {
        using var policy = TinySmolVla.Create(seed: 2);
        using var data = TinyPolicyData.Create(samples: 24, seed: 4);
        var before = policy.Evaluate(data.SequentialBatches(8), new PolicyEvaluationOptions(Seed: 1));

        var result = policy.Train(data.ShuffledBatches(8, seed: 3), TinySmolVla.Training(steps: 25) with { LearningRate = 3e-3 });
        var after = policy.Evaluate(data.SequentialBatches(8), new PolicyEvaluationOptions(Seed: 1));

        Assert.Equal(25, result.Steps);
        Assert.True(result.UpdateNorm > 0);
        Assert.True(after.Loss < before.Loss, $"loss before {before.Loss}, after {after.Loss}");
    }

    [Fact]
    public void Evaluation_uses_fixed_noise_per_sample_so_batch_size_does_not_change_it()
    {
        using var policy = TinySmolVla.Create(seed: 2);
        using var data = TinyPolicyData.Create(samples: 10, seed: 4);

        var byFour = policy.Evaluate(data.SequentialBatches(4), new PolicyEvaluationOptions(Seed: 7));
        var byThree = policy.Evaluate(data.SequentialBatches(3), new PolicyEvaluationOptions(Seed: 7));
        var otherSeed = policy.Evaluate(data.SequentialBatches(4), new PolicyEvaluationOptions(Seed: 8));

        Assert.Equal(10, byFour.Examples);
        Assert.Equal(byFour.Loss, byThree.Loss, 5);
        Assert.Equal(byFour.ActionError, byThree.ActionError, 5);
        Assert.True(double.IsFinite(byFour.ActionError) && byFour.ActionError > 0);
        Assert.NotEqual(byFour.Loss, otherSeed.Loss);
    }

    [Fact]
    public void The_FedProx_term_is_reported_when_mu_is_set()
    {
        using var policy = TinySmolVla.Create(seed: 2);
        using var data = TinyPolicyData.Create(samples: 8, seed: 4);

        var result = policy.Train(data.ShuffledBatches(4, seed: 1), TinySmolVla.Training(steps: 3, mu: 10));

        Assert.True(result.MeanProximalTerm > 0);
    }

    [Fact]
    public void An_imported_payload_replaces_the_trainable_tensors()
    {
        using var source = TinySmolVla.Create(seed: 1);
        using var target = TinySmolVla.Create(seed: 2);
        var sourcePath = Path.Combine(_work.FullName, "source.safetensors");
        var roundTrip = Path.Combine(_work.FullName, "round-trip.safetensors");

        source.ExportTrainable(sourcePath);
        target.ImportTrainable(sourcePath);
        target.ExportTrainable(roundTrip);

        Assert.Equal(File.ReadAllBytes(sourcePath), File.ReadAllBytes(roundTrip));
    }

    private string TrainAndExport(long initSeed, long trainSeed, string name)
    {
        using var policy = TinySmolVla.Create(initSeed);
        using var data = TinyPolicyData.Create(samples: 8, seed: 4);
        policy.Train(data.ShuffledBatches(4, seed: trainSeed), TinySmolVla.Training(steps: 2, seed: trainSeed, mu: 0.01));
        var path = Path.Combine(_work.FullName, name);
        policy.ExportTrainable(path);
        return path;
    }

    public void Dispose() => _work.Delete(recursive: true);
}
