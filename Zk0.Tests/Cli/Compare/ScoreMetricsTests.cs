using Zk0.Cli.Compare;
using Zk0.Policy.Evaluation;

namespace Zk0.Tests.Cli.Compare;

public sealed class ScoreMetricsTests
{
    private static ModelScore Score(params (string Uri, double Loss, double? Success)[] datasets)
    {
        var scores = datasets.ToDictionary(d => d.Uri, d => new DatasetScore(d.Loss, 10, 0.1, d.Success));
        var rates = datasets.Where(d => d.Success is not null).Select(d => d.Success!.Value).ToList();
        return new ModelScore(datasets.Average(d => d.Loss), 10L * datasets.Length, scores, 0.1, rates.Count == 0 ? null : rates.Average());
    }

    private static SeedScores Seed(double federatedLoss, double centralLoss, double federatedUnseenSuccess, double centralUnseenSuccess) => new(
        Score(("a", federatedLoss, null), ("b", federatedLoss, null)),
        Score(("a", centralLoss, null), ("b", centralLoss, null)),
        Score(("u", 2 * federatedLoss, federatedUnseenSuccess)),
        Score(("u", 2 * centralLoss, centralUnseenSuccess)));

    [Fact]
    public void The_nodes_tasks_and_the_unseen_tasks_get_their_own_rows_and_overall_summarized_over_the_seeds()
    {
        var rows = ScoreMetrics.Rows(["a", "b"], ["u"], [Seed(0.5, 1.0, 0.0, 0.5), Seed(0.7, 1.0, 0.5, 0.5), Seed(0.9, 1.0, 1.0, 0.5)]);

        Assert.Equal(["a", "b", ComparisonReport.OverallRow, "u", ComparisonReport.UnseenOverallRow], rows.Select(r => r.Name));
        Assert.Equal([false, false, false, true, true], rows.Select(r => r.Unseen));
        Assert.Equal([10L, 10, 20, 10, 10], rows.Select(r => r.Examples));

        var overallLoss = rows[2].Metrics[ScoreMetrics.Loss];
        Assert.Equal([0.5, 0.7, 0.9], overallLoss.Federated!.Values);
        Assert.Equal(0.7, overallLoss.Federated.Mean, 12);
        Assert.Equal(0.49686764, overallLoss.Federated.HalfWidth95!.Value, 7);
        Assert.Equal(0.0, overallLoss.Central!.HalfWidth95);
        Assert.Equal(0.7, overallLoss.Ratio!.Value, 12);
        Assert.Null(rows[2].Metrics[ScoreMetrics.SuccessRate].Federated); // the nodes' local tasks have no simulator

        var unseenLoss = rows[4].Metrics[ScoreMetrics.Loss];
        Assert.Equal(1.4, unseenLoss.Federated!.Mean, 12);
        var unseenSuccess = rows[4].Metrics[ScoreMetrics.SuccessRate];
        Assert.Equal(0.5, unseenSuccess.Federated!.Mean, 12);
        Assert.Equal(4.303 * 0.5 / Math.Sqrt(3), unseenSuccess.Federated.HalfWidth95!.Value, 9);
        Assert.Equal(1.0, unseenSuccess.Ratio!.Value, 12);
    }

    [Fact]
    public void Without_unseen_tasks_there_are_no_unseen_rows()
    {
        var seed = new SeedScores(Score(("a", 0.5, 0.2)), Score(("a", 0.6, 0.4)), null, null);

        var rows = ScoreMetrics.Rows(["a"], [], [seed]);

        Assert.Equal(["a", ComparisonReport.OverallRow], rows.Select(r => r.Name));
        Assert.Equal(0.5, rows[1].Metrics[ScoreMetrics.SuccessRate].Ratio!.Value, 12);
        Assert.Null(rows[1].Metrics[ScoreMetrics.SuccessRate].Ratio!.HalfWidth95);
    }
}
