using Zk0.Datasets.Simulation;
using Zk0.Policy.Abstractions;
using Zk0.Policy.BehaviourCloning;
using Zk0.Policy.Evaluation;
using Zk0.Policy.SmolVla.Federation;
using Zk0.Tests.Policy.SmolVla.Federation;

namespace Zk0.Tests.Policy.Evaluation;

[Collection(SyntheticEvaluationCollection.Name)]
public sealed class ClosedLoopScoringTests(SyntheticEvaluationData data) : IDisposable
{
    private static readonly SyntheticDatasetUri Dataset = SyntheticDatasetUri.Parse(SyntheticEvaluationData.SynthUri);
    private readonly HeldOutSets _heldOut = new(data.Source);
    private readonly string _directory = Directory.CreateTempSubdirectory("zk0-closed-loop-scores-").FullName;

    [Fact]
    public void The_scripted_expert_behind_the_policy_interface_succeeds_every_episode()
    {
        var set = _heldOut.Get(SyntheticEvaluationData.SynthUri);
        var settings = new ClosedLoopSettings(Episodes: 2, MaxSteps: 600);
        var sceneSeed = ClosedLoopScoring.SceneSeed(evaluationSeed: 4, Dataset);
        using var expert = new ScriptedExpertPolicy(set.Features, Dataset.Task, set.Normalization!,
            Enumerable.Range(0, settings.Episodes).Select(i => SyntheticDatasets.EpisodeSeed(sceneSeed, i)), ClosedLoopScoring.SimulatorFor(set.Features));

        var result = ClosedLoopScoring.Run(expert, Dataset, set.Normalization!, settings, evaluationSeed: 4);

        Assert.Equal(2, expert.EpisodesRecognised);
        Assert.Equal(1.0, result.SuccessRate);
        Assert.All(result.Episodes, e => Assert.True(e.Steps < 600));
    }

    [Fact]
    public void A_policy_that_only_answers_the_mean_action_scores_below_one()
    {
        var set = _heldOut.Get(SyntheticEvaluationData.SynthUri);
        using var still = new MeanActionPolicy(set.Features);

        var result = ClosedLoopScoring.Run(still, Dataset, set.Normalization!, new ClosedLoopSettings(2, MaxSteps: 120), evaluationSeed: 4);

        Assert.True(result.SuccessRate < 1.0);
        Assert.All(result.Episodes, e => Assert.Equal(120, e.Steps));
    }

    [Fact]
    public void The_same_SmolVla_model_and_seed_give_the_same_episodes_and_another_seed_other_scenes()
    {
        var set = _heldOut.Get(SyntheticEvaluationData.SynthUri);
        using var policy = new SmolVlaPolicyFactory().Create(new PolicyCreateOptions(set.Features, TinySmolVla.Settings(), Seed: 2));
        var settings = new ClosedLoopSettings(2, MaxSteps: 30);

        var first = ClosedLoopScoring.Run(policy, Dataset, set.Normalization!, settings, evaluationSeed: 0);
        var second = ClosedLoopScoring.Run(policy, Dataset, set.Normalization!, settings, evaluationSeed: 0);
        var otherSeed = ClosedLoopScoring.Run(policy, Dataset, set.Normalization!, settings, evaluationSeed: 1);

        Assert.Equal(first.Episodes, second.Episodes);
        Assert.Equal(first.SuccessRate, second.SuccessRate);
        Assert.NotEqual(first.Episodes.Select(e => e.Seed), otherSeed.Episodes.Select(e => e.Seed));
    }

    [Fact]
    public void Evaluation_scenes_are_never_the_datasets_own_seed()
    {
        var atHeldOut = Dataset with { Seed = SyntheticDatasetUri.HeldOutSeed };

        Assert.NotEqual(atHeldOut.Seed, ClosedLoopScoring.SceneSeed(0, atHeldOut));
        Assert.Equal(SyntheticDatasetUri.HeldOutSeed + 3, ClosedLoopScoring.SceneSeed(3, Dataset));
    }

    [Fact]
    public void The_simulator_renders_the_cameras_and_image_size_the_dataset_recorded()
    {
        var set = _heldOut.Get(SyntheticEvaluationData.SynthUri);

        var options = ClosedLoopScoring.SimulatorFor(set.Features);

        Assert.Equal(SimulatorOptions.Default.Cameras, options.Cameras);
        Assert.Equal((SimulatorOptions.Default.ImageWidth, SimulatorOptions.Default.ImageHeight), (options.ImageWidth, options.ImageHeight));
        Assert.Equal(set.Features.Cameras.Select(c => (c.Width, c.Height)), set.Features.Cameras.Select(_ => (options.ImageWidth, options.ImageHeight)));
    }

    [Fact]
    public void The_scorer_reports_success_rate_only_for_datasets_with_a_simulator_and_not_when_turned_off()
    {
        var scorer = new ModelScorer(new PolicyCatalog([new BehaviourCloningPolicyFactory()]), _heldOut);
        var model = BehaviourCloningModel();
        var datasets = new[] { SyntheticEvaluationData.SynthUri, data.LocalUri };

        var on = scorer.Score(model, Settings(("eval-episodes", "1"), ("eval-max-steps", "20")), datasets, evaluationSeed: 0);
        var off = scorer.Score(model, Settings(("eval-episodes", "0")), datasets, evaluationSeed: 0);

        Assert.NotNull(on.Datasets[SyntheticEvaluationData.SynthUri].SuccessRate);
        Assert.InRange(on.Datasets[SyntheticEvaluationData.SynthUri].SuccessRate!.Value, 0.0, 1.0);
        Assert.Null(on.Datasets[data.LocalUri].SuccessRate);
        Assert.Equal(on.Datasets[SyntheticEvaluationData.SynthUri].SuccessRate, on.SuccessRate);
        Assert.All(off.Datasets.Values, d => Assert.Null(d.SuccessRate));
        Assert.Null(off.SuccessRate);
        Assert.Equal(on.Loss, off.Loss);
    }

    private static RunSettings Settings(params (string Key, string Value)[] extra)
    {
        var config = new Dictionary<string, string> { ["policy"] = "bc", ["seed"] = "1" };
        foreach (var (key, value) in extra) config[key] = value;
        return RunSettings.From(config);
    }

    private string BehaviourCloningModel()
    {
        var features = _heldOut.Get(SyntheticEvaluationData.SynthUri).Features;
        using var policy = new BehaviourCloningPolicyFactory().Create(new PolicyCreateOptions(features, new Dictionary<string, string>(), 3));
        var path = Path.Combine(_directory, "bc.safetensors");
        policy.ExportTrainable(path);
        return path;
    }

    public void Dispose()
    {
        _heldOut.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
