using Zk0.Policy.Abstractions;
using Zk0.Policy.BehaviourCloning;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.BehaviourCloning;

public sealed class InstructionEncoderTests
{
    [Fact]
    public void WordsFallIntoFixedBucketsWhateverTheirCaseOrPunctuation()
    {
        // FNV-1a of the word, modulo 128, computed by hand for these (the 6 tasks' colour and bin words share no bucket).
        Assert.Equal((92, 112, 101, 62), (InstructionEncoder.Bucket("red"), InstructionEncoder.Bucket("left"), InstructionEncoder.Bucket("right"), InstructionEncoder.Bucket("bin")));

        using var bags = InstructionEncoder.BagOfWords(["Put the red cube in the left bin", "put the RED cube, in the left bin!"], CPU);

        Assert.True(bags[0].allclose(bags[1], rtol: 0, atol: 0));
        Assert.Equal(1f, bags[0].sum().item<float>(), 5);
        Assert.Equal(2f / 8, bags[0][InstructionEncoder.Bucket("the")].item<float>(), 5);
    }

    [Fact]
    public void NoWordThatTellsTheBuiltInTasksApartSharesABucketWithAnotherWord()
    {
        var instructions = Zk0.Datasets.Simulation.SimTaskCatalog.All.Select(t => t.Instruction.ToLowerInvariant().Split(' ')).ToList();
        var words = instructions.SelectMany(w => w).Distinct().ToList();
        var telling = words.Where(w => instructions.Any(i => !i.Contains(w))).ToList();

        Assert.Contains("red", telling);
        Assert.All(telling, word => Assert.Single(words, other => InstructionEncoder.Bucket(other) == InstructionEncoder.Bucket(word)));
    }

    // Scenes under two instructions that ask for opposite actions: on scenes it has not seen, only a policy that reads the
    // instruction can tell which one is asked for.
    [Theory]
    [InlineData("32", 0.2)]
    [InlineData("0", double.NaN)]
    public void TheInstructionTellsThePolicyWhichTaskItDoes(string instructionFeatures, double bestLoss)
    {
        using var data = OppositeTasks(64, seed: 5);
        using var unseen = OppositeTasks(64, seed: 6);
        using var policy = TinyPolicyData.CreatePolicy(3, new() { [BehaviourCloningSettings.InstructionFeaturesKey] = instructionFeatures });

        policy.Train(data.ShuffledBatches(16, seed: 1), new LocalTrainingOptions { Steps = 300, LearningRate = 3e-3 });
        var loss = policy.Evaluate(unseen.SequentialBatches(64), new PolicyEvaluationOptions()).Loss;

        if (double.IsNaN(bestLoss)) Assert.True(loss > 0.5, $"without the instruction the mean of +1 and -1 is the best answer, loss {loss}");
        else Assert.True(loss < bestLoss, $"with the instruction, loss {loss}");
    }

    private static InMemoryPolicyDataset OppositeTasks(int samples, ulong seed)
    {
        var features = TinyPolicyData.Features;
        using var generator = new Generator(seed);
        var state = randn([samples, features.StateDim], generator: generator);
        var frames = randint(0, 256, new long[] { samples, 16, 16, 3 }, ScalarType.Byte, generator: generator);
        var tasks = Enumerable.Range(0, samples).Select(i => i % 2 == 0 ? "put the cube in the left bin" : "put the cube in the right bin").ToList();
        var sign = tensor(tasks.Select(t => t.Contains("left") ? 1f : -1f).ToArray()).view(samples, 1, 1);
        var actions = ones([samples, features.ChunkSize, features.ActionDim]) * sign;
        return new InMemoryPolicyDataset(features, state, new Dictionary<string, Tensor> { ["observation.images.front"] = frames }, actions,
            zeros([samples, features.ChunkSize], ScalarType.Bool), tasks);
    }
}
