using Zk0.Policy.Checkpoints;
using Zk0.Policy.SmolVla;
using Zk0.Policy.SmolVla.Checkpoint;
using Zk0.Policy.SmolVla.Configuration;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.SmolVla;

public sealed class SmolVlaCheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("zk0-smolvla-").FullName;

    private static SmolVlaArchitecture Fixture => SmolVlaConfigJson.Load(SmolVlaFixtureFiles.PathOf("config.json"));

    [Fact]
    public void SavedWeightsLoadBackIdenticallyAndGiveIdenticalOutputs()
    {
        var run = new SmolVlaParityRun();
        using var original = run.LoadPolicy();
        var path = Path.Combine(_dir, "model.safetensors");
        SmolVlaWeights.Save(original, path);
        using var reloaded = new SmolVlaPolicy(Fixture);
        SmolVlaWeights.Load(reloaded, path);

        var before = original.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in reloaded.named_parameters())
            Assert.True(before[name].eq(parameter).all().item<bool>(), $"{name} changed in the round trip");

        using var noGrad = no_grad();
        var inputs = run.Inputs;
        using var a = original.Loss(inputs, run.Input("pp.action"), null, run.Input("train.noise"), run.Input("train.time"));
        using var b = reloaded.Loss(inputs, run.Input("pp.action"), null, run.Input("train.noise"), run.Input("train.time"));
        Assert.Equal(a.item<float>(), b.item<float>());
        using var chunkA = original.PredictActionChunk(inputs, run.Input("infer.noise"));
        using var chunkB = reloaded.PredictActionChunk(inputs, run.Input("infer.noise"));
        Assert.True(chunkA.eq(chunkB).all().item<bool>());
    }

    [Fact]
    public void CheckpointMissingATensorIsRejectedNamingTheKey()
    {
        var all = SafetensorsTorch.LoadAll(SmolVlaFixtureFiles.PathOf("model.safetensors"));
        const string dropped = "model.action_out_proj.bias";
        var path = Path.Combine(_dir, "truncated.safetensors");
        SafetensorsTorch.Save(path, all.Where(p => p.Key != dropped));
        using var policy = new SmolVlaPolicy(Fixture);
        var error = Assert.Throws<InvalidDataException>(() => SmolVlaWeights.Load(policy, path));
        Assert.Contains(dropped, error.Message);
    }

    [Fact]
    public void CheckpointWithAWrongShapeIsRejectedNamingTheKey()
    {
        var all = SafetensorsTorch.LoadAll(SmolVlaFixtureFiles.PathOf("model.safetensors"));
        const string reshaped = "model.state_proj.weight";
        all[reshaped] = zeros(3, 3);
        var path = Path.Combine(_dir, "mismatched.safetensors");
        SafetensorsTorch.Save(path, all);
        using var policy = new SmolVlaPolicy(Fixture);
        var error = Assert.Throws<InvalidDataException>(() => SmolVlaWeights.Load(policy, path));
        Assert.Contains(reshaped, error.Message);
        Assert.Contains("[3, 3]", error.Message);
    }

    [Fact]
    public void CheckpointWithAForeignTensorIsRejectedNamingTheKey()
    {
        var all = SafetensorsTorch.LoadAll(SmolVlaFixtureFiles.PathOf("model.safetensors"));
        all["model.extra_head.weight"] = zeros(2);
        var path = Path.Combine(_dir, "foreign.safetensors");
        SafetensorsTorch.Save(path, all);
        using var policy = new SmolVlaPolicy(Fixture);
        var error = Assert.Throws<InvalidDataException>(() => SmolVlaWeights.Load(policy, path));
        Assert.Contains("model.extra_head.weight", error.Message);
    }

    [Fact]
    public void FileCutShortIsRejected()
    {
        var bytes = File.ReadAllBytes(SmolVlaFixtureFiles.PathOf("model.safetensors"));
        var path = Path.Combine(_dir, "cut.safetensors");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        using var policy = new SmolVlaPolicy(Fixture);
        var error = Record.Exception(() => SmolVlaWeights.Load(policy, path));
        Assert.NotNull(error);
        Assert.Contains("cut.safetensors", error!.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
