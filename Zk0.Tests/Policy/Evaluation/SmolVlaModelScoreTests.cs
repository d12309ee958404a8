using Zk0.Policy.Evaluation;
using Zk0.Policy.Abstractions;
using Zk0.Policy.BehaviourCloning;
using Zk0.Policy.SmolVla.Federation;
using Zk0.Tests.Policy.SmolVla.Federation;
using Zk0.Tests.SuperNode;

namespace Zk0.Tests.Policy.Evaluation;

public sealed class SmolVlaModelScoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("zk0-smolvla-score-").FullName;
    private readonly HeldOutSets _heldOut = new(new TinyDatasetSource());
    private readonly ModelScorer _scorer;
    private readonly RunSettings _settings = RunSettings.From(new Dictionary<string, string>(TinySmolVla.Settings()) { ["seed"] = "1", ["eval-batch-size"] = "8" });

    public SmolVlaModelScoreTests() =>
        _scorer = new ModelScorer(new PolicyCatalog([new SmolVlaPolicyFactory(), new BehaviourCloningPolicyFactory()]), _heldOut);

    [Fact]
    public void A_SmolVla_model_gets_loss_and_action_error_per_dataset_and_overall_the_same_every_time()
    {
        var model = Model(seed: 3);

        var first = _scorer.Score(model, _settings, ["tiny:a", "tiny:b"], evaluationSeed: 0);
        var second = _scorer.Score(model, _settings, ["tiny:a", "tiny:b"], evaluationSeed: 0);

        Assert.Equal("smolvla", _settings.PolicyType);
        Assert.Equal(first, second with { Datasets = first.Datasets });
        Assert.Equal(first.Datasets["tiny:a"], second.Datasets["tiny:a"]);
        var a = first.Datasets["tiny:a"];
        var b = first.Datasets["tiny:b"];
        Assert.True(a.ActionError > 0 && b.ActionError > 0);
        Assert.Equal((a.ActionError!.Value * a.Examples + b.ActionError!.Value * b.Examples) / (a.Examples + b.Examples), first.ActionError!.Value, 10);
    }

    private string Model(long seed)
    {
        using var policy = TinySmolVla.Create(seed);
        var path = Path.Combine(_directory, $"model-{seed}.safetensors");
        policy.ExportTrainable(path);
        return path;
    }

    public void Dispose()
    {
        _heldOut.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
