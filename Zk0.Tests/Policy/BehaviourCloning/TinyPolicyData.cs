using Zk0.Policy.Abstractions;
using Zk0.Policy.BehaviourCloning;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.BehaviourCloning;

/// <summary>
/// Small learnable data: the action chunk is a fixed linear function of the state plus the mean
/// brightness of the camera image (8-bit, as recorded), with the tail of some chunks marked as padding.
/// </summary>
public static class TinyPolicyData
{
    public static readonly PolicyFeatures Features = new(StateDim: 4, ActionDim: 3, ChunkSize: 5, [new CameraFeature("observation.images.front", 16, 16)]);

    public static InMemoryPolicyDataset Create(int samples, long seed, string task = "pick the cube")
    {
        using var generator = new Generator((ulong)seed);
        var state = randn([samples, Features.StateDim], generator: generator);
        var frames = randint(0, 256, new long[] { samples, 16, 16, 3 }, ScalarType.Byte, generator: generator);
        using var mixing = linspace(-1, 1, Features.StateDim * Features.ChunkSize * Features.ActionDim)
            .view(Features.StateDim, Features.ChunkSize * Features.ActionDim);
        using var brightness = (frames.to(ScalarType.Float32) / 255f).mean([1L, 2L, 3L]).unsqueeze(1);
        var actions = (state.matmul(mixing) + brightness).view(samples, Features.ChunkSize, Features.ActionDim);
        var pad = zeros([samples, Features.ChunkSize], ScalarType.Bool);
        for (var i = 0; i < samples; i += 3) pad[i, Features.ChunkSize - 1] = tensor(true);
        return new InMemoryPolicyDataset(
            Features, state, new Dictionary<string, Tensor> { ["observation.images.front"] = frames }, actions, pad,
            Enumerable.Repeat(task, samples).ToList());
    }

    public static IFederatedPolicy CreatePolicy(long seed, Dictionary<string, string>? settings = null) =>
        new BehaviourCloningPolicyFactory().Create(new PolicyCreateOptions(Features, settings ?? new(), seed));
}
