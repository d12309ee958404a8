using System.Globalization;
using System.Text.RegularExpressions;
using Zk0.Tests.Cli.Bench.Federation;

namespace Zk0.Tests.Cli.Dataset;

/// <summary>
/// <c>zk0 dataset bench</c> on a small video: every column is measured and printed. Figures are not asserted (CI machines
/// are shared and noisy); the command is how they are measured (docs/performance.md).
/// </summary>
public sealed class DatasetBenchCommandTests
{
    [Fact]
    public async Task A_small_run_measures_every_column_for_the_codec()
    {
        var work = Path.Combine(Path.GetTempPath(), $"zk0-dataset-bench-test-{Guid.NewGuid():N}");
        try
        {
            var result = await ZkToolProcess.RunAsync(
                ["dataset", "bench", "--frames", "48", "--width", "64", "--height", "48", "--rounds", "1", "--codecs", "h264", "--work-dir", work],
                TimeSpan.FromMinutes(3));

            Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}{Environment.NewLine}{result.Output}{Environment.NewLine}{result.Error}");
            var row = result.Output.Split('\n').Single(l => l.StartsWith("h264 ", StringComparison.Ordinal));
            // ffmpeg, cold, reader, pooled, to policy, + CPU float and shuffled samples: each a rate and a rate per CPU-second.
            // Rates carry one decimal; the ratios between them are whole percentages.
            var rates = Regex.Matches(row, @"\d+\.\d").Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(14, rates.Count);
            Assert.All(rates, rate => Assert.True(rate > 0, row));
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task An_unknown_codec_is_named_with_the_choices()
    {
        var result = await ZkToolProcess.RunAsync(["dataset", "bench", "--frames", "8", "--codecs", "vp9"], TimeSpan.FromMinutes(1));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Unknown codec 'vp9'; use av1 or h264.", result.Error);
        Assert.DoesNotContain("codec ", result.Output);
    }

    [Theory]
    [InlineData("--width", "-5")]
    [InlineData("--frames", "0")]
    [InlineData("--batch-size", "0")]
    public async Task A_size_below_one_is_refused_by_its_option_before_anything_runs(string option, string value)
    {
        var result = await ZkToolProcess.RunAsync(["dataset", "bench", option, value, "--codecs", "h264"], TimeSpan.FromMinutes(1));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"{option} is {value}; give a positive number.", result.Error);
        Assert.DoesNotContain("codec ", result.Output);
    }
}
