using Zk0.Policy.Evaluation;
using Zk0.Policy.Abstractions;
using Zk0.Policy.BehaviourCloning;
using Zk0.Tests.Policy.BehaviourCloning;
using Zk0.Tests.SuperNode;

namespace Zk0.Tests.Policy.Evaluation;

public sealed class ModelScorerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("zk0-scorer-").FullName;
    private readonly HeldOutSets _heldOut = new(new TinyDatasetSource());
    private readonly ModelScorer _scorer;
    private readonly RunSettings _settings = RunSettings.From(new Dictionary<string, string> { ["seed"] = "1", ["eval-batch-size"] = "7", ["policy"] = "bc" });

    public ModelScorerTests() => _scorer = new ModelScorer(new PolicyCatalog([new BehaviourCloningPolicyFactory()]), _heldOut);

    [Fact]
    public void TheSameModelGetsTheSameScoreEveryTime()
    {
        var model = Model(seed: 4);

        var first = _scorer.Score(model, _settings, ["tiny:a", "tiny:b"], evaluationSeed: 0);
        var second = _scorer.Score(model, _settings, ["tiny:a", "tiny:b"], evaluationSeed: 0);

        Assert.Equal(first.Loss, second.Loss);
        Assert.Equal(first.Datasets["tiny:a"], second.Datasets["tiny:a"]);
        Assert.Equal(first.Datasets["tiny:b"], second.Datasets["tiny:b"]);
    }

    [Fact]
    public void ADifferentModelGetsADifferentScore()
    {
        var first = _scorer.Score(Model(seed: 4), _settings, ["tiny:a"], evaluationSeed: 0);
        var second = _scorer.Score(Model(seed: 5), _settings, ["tiny:a"], evaluationSeed: 0);

        Assert.NotEqual(first.Loss, second.Loss);
    }

    [Fact]
    public void TheOverallLossIsTheExampleWeightedMeanOfTheDatasets()
    {
        var score = _scorer.Score(Model(seed: 4), _settings, ["tiny:a", "tiny:b"], evaluationSeed: 0);

        var a = score.Datasets["tiny:a"];
        var b = score.Datasets["tiny:b"];
        Assert.Equal(24, a.Examples);
        Assert.Equal(a.Examples + b.Examples, score.Examples);
        Assert.Equal((a.Loss * a.Examples + b.Loss * b.Examples) / score.Examples, score.Loss, 10);
    }

    [Fact]
    public void TheScoreMatchesThePolicysOwnHeldOutLoss()
    {
        var model = Model(seed: 4);
        using var policy = TinyPolicyData.CreatePolicy(seed: 99);
        policy.ImportTrainable(model);
        var expected = policy.Evaluate(_heldOut.Get("tiny:a").SequentialBatches(7), new PolicyEvaluationOptions());

        var score = _scorer.Score(model, _settings, ["tiny:a"], evaluationSeed: 0);

        Assert.Equal(expected.Loss, score.Loss, 10);
    }

    [Fact]
    public void NoEvaluationDatasetsIsAClearError()
    {
        var error = Assert.Throws<ArgumentException>(() => _scorer.Score(Model(seed: 4), _settings, [], evaluationSeed: 0));

        Assert.Contains("Evaluator:Datasets", error.Message);
    }

    private string Model(long seed)
    {
        using var policy = TinyPolicyData.CreatePolicy(seed);
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
