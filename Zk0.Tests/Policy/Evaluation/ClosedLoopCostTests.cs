using System.Diagnostics;
using Xunit.Abstractions;
using Zk0.Policy.Abstractions;
using Zk0.Policy.BehaviourCloning;
using Zk0.Policy.Evaluation;
using Zk0.Policy.SmolVla.Federation;

namespace Zk0.Tests.Policy.Evaluation;

/// <summary>
/// What closed-loop scoring adds to an evaluation of the default small SmolVLA with the default run settings: it prints
/// the seconds with and without it (a bench figure, not a timed assertion) and checks it leaves the loss untouched.
/// </summary>
[Collection(SyntheticEvaluationCollection.Name)]
public sealed class ClosedLoopCostTests(SyntheticEvaluationData data, ITestOutputHelper output) : IDisposable
{
    private readonly HeldOutSets _heldOut = new(data.Source);
    private readonly string _directory = Directory.CreateTempSubdirectory("zk0-closed-loop-cost-").FullName;

    [Fact]
    public void Closed_loop_scoring_of_the_default_small_SmolVla_adds_a_success_rate_and_leaves_the_loss_alone()
    {
        var scorer = new ModelScorer(new PolicyCatalog([new SmolVlaPolicyFactory(), new BehaviourCloningPolicyFactory()]), _heldOut);
        var features = _heldOut.Get(SyntheticEvaluationData.SynthUri).Features;
        var model = Path.Combine(_directory, "smolvla.safetensors");
        using (var policy = new SmolVlaPolicyFactory().Create(new PolicyCreateOptions(features, new Dictionary<string, string>(), 42)))
            policy.ExportTrainable(model);
        string[] datasets = [SyntheticEvaluationData.SynthUri];
        var defaults = RunSettings.From(new Dictionary<string, string>());
        scorer.Score(model, RunSettings.From(new Dictionary<string, string> { ["eval-episodes"] = "0" }), datasets, 0); // warm-up

        var (without, secondsWithout) = Timed(() => scorer.Score(model, RunSettings.From(new Dictionary<string, string> { ["eval-episodes"] = "0" }), datasets, 0));
        var (with, secondsWith) = Timed(() => scorer.Score(model, defaults, datasets, 0));
        var set = _heldOut.Get(SyntheticEvaluationData.SynthUri);
        using var fresh = new SmolVlaPolicyFactory().Create(new PolicyCreateOptions(features, new Dictionary<string, string>(), 42));
        var closedLoop = Stopwatch.StartNew();
        var episodes = ClosedLoopScoring.Run(fresh, Zk0.Datasets.Simulation.SyntheticDatasetUri.Parse(SyntheticEvaluationData.SynthUri), set.Normalization!, defaults.ClosedLoop, 0);
        output.WriteLine($"closed loop alone: {closedLoop.Elapsed.TotalSeconds:F2} s for {episodes.Episodes.Sum(e => e.Steps)} simulator steps " +
            $"({(episodes.Episodes.Sum(e => e.Steps) + features.ChunkSize - 1) / features.ChunkSize} chunk predictions)");

        output.WriteLine($"default small SmolVLA, 1 synth dataset ({without.Examples} held-out frames), eval-episodes={defaults.ClosedLoop.Episodes}, " +
            $"eval-max-steps={defaults.ClosedLoop.MaxSteps}, chunk {features.ChunkSize}: evaluation {secondsWithout:F2} s without closed loop, " +
            $"{secondsWith:F2} s with it (+{secondsWith - secondsWithout:F2} s), success rate {with.SuccessRate}");
        Assert.Equal(without.Loss, with.Loss);
        Assert.NotNull(with.SuccessRate);
        Assert.Null(without.SuccessRate);
    }

    private static (ModelScore Score, double Seconds) Timed(Func<ModelScore> score)
    {
        var stopwatch = Stopwatch.StartNew();
        var result = score();
        return (result, stopwatch.Elapsed.TotalSeconds);
    }

    public void Dispose()
    {
        _heldOut.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
