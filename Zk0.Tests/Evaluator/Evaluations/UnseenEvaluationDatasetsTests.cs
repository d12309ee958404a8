using Zk0.Evaluator;
using Zk0.Evaluator.Evaluations;
using Zk0.Policy.Abstractions;

namespace Zk0.Tests.Evaluator.Evaluations;

public sealed class UnseenEvaluationDatasetsTests
{
    private static readonly EvaluatorOptions Options = new() { Datasets = ["synth:a", "synth:b"], UnseenDatasets = ["synth:e", "synth:f"] };

    [Fact]
    public void Without_a_run_setting_the_Evaluators_unseen_datasets_are_scored()
    {
        var config = new Dictionary<string, string>();

        Assert.Equal(["synth:e", "synth:f"], EvaluationDatasets.UnseenFor(config, Options, EvaluationDatasets.For(config, Options)));
    }

    [Fact]
    public void A_dataset_the_run_evaluates_as_one_of_its_own_is_not_unseen()
    {
        var config = new Dictionary<string, string> { [RunSettings.EvalDatasetsKey] = "synth:a,synth:e" };

        Assert.Equal(["synth:f"], EvaluationDatasets.UnseenFor(config, Options, EvaluationDatasets.For(config, Options)));
    }

    [Fact]
    public void The_run_names_its_own_unseen_datasets_or_none()
    {
        var own = new Dictionary<string, string> { [RunSettings.EvalUnseenDatasetsKey] = "synth:x" };
        var none = new Dictionary<string, string> { [RunSettings.EvalUnseenDatasetsKey] = "none" };

        Assert.Equal(["synth:x"], EvaluationDatasets.UnseenFor(own, Options, Options.Datasets));
        Assert.Empty(EvaluationDatasets.UnseenFor(none, Options, Options.Datasets));
    }
}
