using System.Text.Json;
using Zk0.AppHost.Runs;

namespace Zk0.Tests.AppHost.Runs;

public sealed class ModelCardTests
{
    private static string Card(bool final = true)
    {
        var metrics = SampleRun.MetricsJson(SampleRun.Detail(withSuccessRate: true));
        var round = metrics.GetProperty("rounds").EnumerateArray().Single(r => r.GetProperty("round").GetInt32() == 3);
        var config = new Dictionary<string, string>
        {
            ["num-server-rounds"] = "3",
            ["local-steps"] = "20",
            ["learning-rate"] = "0.001",
            ["policy"] = "smolvla",
            ["policy-path"] = "/home/someone/checkpoints/base",
            ["eval-datasets"] = string.Join(",", SampleRun.NodeDatasets.Append("hf:secret-owner/secret-set")),
        };
        var evalDatasets = EvalDatasets.Of(config, SampleRun.NodeDatasets);
        return ModelCard.Write(new ModelCardFacts(SampleRun.RunId, "completed", 3, final, SampleRun.Hash(3), config, SampleRun.Nodes(), evalDatasets, round));
    }

    [Fact]
    public void The_card_names_the_policy_run_model_hyperparameters_and_metrics()
    {
        var card = Card();

        Assert.Contains("smolvla", card);
        Assert.Contains(SampleRun.RunId, card);
        Assert.Contains(SampleRun.Hash(3), card);
        Assert.Contains("final model (round 3)", card);
        Assert.Contains("| `local-steps` | `20` |", card);
        Assert.Contains("| `learning-rate` | `0.001` |", card);
        Assert.Contains("| server evaluation, all datasets | loss | 0.3 |", card);
        Assert.Contains("| server evaluation, all datasets | success_rate | 0.6 |", card);
        Assert.Contains($"| server evaluation, `{SampleRun.DatasetIds[0]}` | action_error |", card);
        Assert.Contains("policy-path=<this directory>", card);
        Assert.DoesNotContain("final model", Card(final: false));
        var rows = card.Split('\n').Where(line => line.StartsWith("| server evaluation", StringComparison.Ordinal)).Select(line => string.Join('|', line.Split('|').Take(3)));
        Assert.Equal(rows.Distinct().Count(), rows.Count()); // each metric once per scope, though metrics.json repeats loss
    }

    [Fact]
    public void The_card_names_datasets_only_by_anonymous_id_and_leaks_no_uri_or_path()
    {
        var card = Card();

        foreach (var id in SampleRun.DatasetIds) Assert.Contains(id, card);
        Assert.Contains("held-out-3", card);
        foreach (var uri in SampleRun.NodeDatasets) Assert.DoesNotContain(uri, card);
        Assert.DoesNotContain("synth:", card);
        Assert.DoesNotContain("secret-owner", card);
        Assert.DoesNotContain("/home/someone", card);
        Assert.Contains("| `policy-path` | (withheld) |", card);
    }

    [Fact]
    public void A_round_without_recorded_metrics_says_so()
    {
        var card = ModelCard.Write(new ModelCardFacts("r", "running", 1, false, SampleRun.Hash(1), new Dictionary<string, string> { ["policy"] = "bc" },
            SampleRun.Nodes(), SampleRun.NodeDatasets, RoundMetrics: null));

        Assert.Contains("behaviour-cloning", card);
        Assert.Contains("no metrics were recorded", card);
    }
}
