using Zk0.AppHost.Runs;

namespace Zk0.Tests.AppHost.Runs;

public sealed class RunChartsTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("zk0-charts-");

    public void Dispose() => _work.Delete(recursive: true);

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static void AssertPng(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 1000, $"{path} is only {bytes.Length} bytes");
        Assert.Equal(PngSignature, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        var width = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16));
        var height = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20));
        Assert.True(width > 0 && height > 0);
    }

    [Fact]
    public void Charts_are_drawn_only_for_the_metrics_the_run_has()
    {
        var written = RunCharts.Write(SampleRun.MetricsJson(SampleRun.Detail(withSuccessRate: false)), _work.FullName);

        var charts = Path.Combine(_work.FullName, "charts");
        Assert.Equal(["action_error.png", "loss.png"], written.Select(Path.GetFileName).Order());
        AssertPng(Path.Combine(charts, "loss.png"));
        AssertPng(Path.Combine(charts, "action_error.png"));
        Assert.False(File.Exists(Path.Combine(charts, "success_rate.png")));
    }

    [Fact]
    public void A_success_rate_chart_appears_once_the_run_reports_success_rate()
    {
        RunCharts.Write(SampleRun.MetricsJson(SampleRun.Detail(withSuccessRate: false, withActionError: false)), _work.FullName);
        var charts = Path.Combine(_work.FullName, "charts");
        Assert.Equal(["loss.png"], Directory.GetFiles(charts).Select(Path.GetFileName));

        RunCharts.Write(SampleRun.MetricsJson(SampleRun.Detail(withSuccessRate: true)), _work.FullName);

        AssertPng(Path.Combine(charts, "success_rate.png"));
        AssertPng(Path.Combine(charts, "action_error.png"));
    }

    [Fact]
    public void The_loss_chart_has_overall_per_dataset_and_per_node_lines()
    {
        var lines = RunChartSeries.For(SampleRun.MetricsJson(SampleRun.Detail()), "loss");

        Assert.Equal(
            new[] { "eval (all datasets)", "eval synth:pick-place-0", "eval synth:pick-place-1" }
                .Concat(SampleRun.DatasetIds.Select(id => $"train {id}")).Order(),
            lines.Select(l => l.Label).Order());
        Assert.All(lines, l => Assert.Equal([1, 2, 3], l.Points.Select(p => p.Round)));
        var overall = lines.Single(l => l.Label == "eval (all datasets)");
        Assert.Equal(0.9 / 2, overall.Points[1].Value, 12);
    }

    [Fact]
    public void A_run_without_rounds_gets_no_charts()
    {
        var run = SampleRun.Detail();
        run.Rounds.Clear();

        Assert.Empty(RunCharts.Write(SampleRun.MetricsJson(run), _work.FullName));
    }
}
