using Zk0.Policy.Abstractions;
using Zk0.Tests.Policy.BehaviourCloning;
using Zk0.Tests.Policy.SmolVla.Federation;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.Abstractions;

public sealed class PredictActionChunkTests
{
    [Fact]
    public void SmolVla_predicts_one_chunk_per_observation_fixed_by_the_generator_seed()
    {
        using var policy = TinySmolVla.Create(seed: 1);

        var first = Predict(policy, noiseSeed: 5);
        var again = Predict(policy, noiseSeed: 5);
        var otherNoise = Predict(policy, noiseSeed: 6);

        Assert.Equal(TinyPolicyData.Features.ChunkSize * TinyPolicyData.Features.ActionDim, first.Length);
        Assert.Equal(first, again);
        Assert.NotEqual(first, otherNoise);
    }

    [Fact]
    public void Behaviour_cloning_predicts_the_chunk_its_loss_is_computed_on()
    {
        using var policy = TinyPolicyData.CreatePolicy(seed: 2);
        using var data = TinyPolicyData.Create(4, seed: 3);
        using var batch = data.SequentialBatches(4).First();
        using var observation = new PolicyObservation { State = batch.State.alias(), CameraFrames = batch.CameraFrames.ToDictionary(i => i.Key, i => i.Value.alias()), Tasks = batch.Tasks };
        using var generator = new Generator(0);

        using var chunk = policy.PredictActionChunk(observation, generator);
        var loss = policy.Evaluate([Clone(batch)], new PolicyEvaluationOptions()).Loss;

        Assert.Equal(new long[] { 4, TinyPolicyData.Features.ChunkSize, TinyPolicyData.Features.ActionDim }, chunk.shape);
        using var valid = batch.ActionIsPad.logical_not().unsqueeze(-1).to(ScalarType.Float32);
        var expected = ((chunk - batch.Actions).square() * valid).sum().item<float>() / (valid.sum().item<float>() * TinyPolicyData.Features.ActionDim);
        Assert.Equal(expected, loss, 5);
    }

    [Fact]
    public void Training_and_evaluation_of_a_module_policy_use_a_cpu_generator()
    {
        using var policy = TinyPolicyData.CreatePolicy(seed: 2);
        using var data = TinyPolicyData.Create(8, seed: 4);

        var result = policy.Train(data.ShuffledBatches(4, seed: 1), new LocalTrainingOptions { Steps = 2, LearningRate = 1e-3, Seed = 7 });

        Assert.Equal(2, result.Steps);
    }

    private static float[] Predict(IFederatedPolicy policy, ulong noiseSeed)
    {
        using var data = TinyPolicyData.Create(1, seed: 9);
        using var batch = data.SequentialBatches(1).First();
        using var observation = new PolicyObservation { State = batch.State.alias(), CameraFrames = batch.CameraFrames.ToDictionary(i => i.Key, i => i.Value.alias()), Tasks = batch.Tasks };
        using var generator = new Generator(noiseSeed);
        using var chunk = policy.PredictActionChunk(observation, generator);
        return chunk.data<float>().ToArray();
    }

    private static PolicyBatch Clone(PolicyBatch batch) => new()
    {
        State = batch.State.clone(),
        CameraFrames = batch.CameraFrames.ToDictionary(i => i.Key, i => i.Value.clone()),
        Actions = batch.Actions.clone(),
        ActionIsPad = batch.ActionIsPad.clone(),
        Tasks = batch.Tasks,
    };
}
