using System.Text.Json;
using Zk0.AppHost.Runs;

namespace Zk0.Tests.AppHost.Runs;

public sealed class RunChartSeriesUnseenTests
{
    // One round as MetricsFile writes it when the Evaluator also scored an unseen task.
    private const string MetricsJson = """
        { "rounds": [ { "round": 1, "train": {},
          "eval": { "loss": 0.4, "metrics": { "loss": 0.4, "success_rate": 0.5, "unseen_loss": 0.9, "unseen_success_rate": 0.25 },
                    "datasets": { "synth:red": { "loss": 0.4, "num_examples": 10, "success_rate": 0.5 },
                                  "synth:purple": { "loss": 0.9, "num_examples": 10, "success_rate": 0.25, "unseen": 1 } } } } ] }
        """;

    [Theory]
    [InlineData("loss", 0.4, 0.9)]
    [InlineData("success_rate", 0.5, 0.25)]
    public void Unseen_tasks_get_their_own_overall_line_and_labelled_dataset_lines(string metric, double nodesTasks, double unseen)
    {
        using var json = JsonDocument.Parse(MetricsJson);

        var lines = RunChartSeries.For(json.RootElement, metric).ToDictionary(l => l.Label, l => l.Points.Single().Value);

        Assert.Equal(["eval (all datasets)", RunChartSeries.UnseenLabel, "eval synth:purple (unseen)", "eval synth:red"], lines.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(nodesTasks, lines["eval (all datasets)"]);
        Assert.Equal(unseen, lines[RunChartSeries.UnseenLabel]);
        Assert.Equal(unseen, lines["eval synth:purple (unseen)"]);
    }
}
