namespace Zk0.Tests.Cli.Bench.Federation;

/// <summary>
/// <c>zk0 bench federation --short</c> end to end: every group runs against the real services (Garnet, SuperLink,
/// gateway as child processes) and prints its rows. Figures are not asserted (CI machines are shared and noisy).
/// </summary>
public sealed class FederationBenchCommandTests
{
    [Fact]
    public async Task Short_mode_measures_every_row_and_prints_the_table()
    {
        var work = Path.Combine(Path.GetTempPath(), $"zk0-bench-test-{Guid.NewGuid():N}");
        try
        {
            var result = await ZkToolProcess.RunAsync(["bench", "federation", "--short", "--work-dir", work], TimeSpan.FromMinutes(8));

            Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}{Environment.NewLine}{result.Output}{Environment.NewLine}{result.Error}");
            var table = result.Output.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToList();
            foreach (var measure in (string[])["fold", "write the aggregated model", "median", "trimmed mean", "Krum", "SuperLink peak RSS", "upload", "download",
                         "round overhead", "round time", "nodes per SuperLink"])
                Assert.Contains(table, row => row.Contains(measure, StringComparison.Ordinal));
            Assert.DoesNotContain(table, row => row.Contains("| error", StringComparison.Ordinal));
            Assert.All(table.Skip(1), row => Assert.Matches(@"\| (pass|SHORT|info) +\|", row));
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task An_unknown_group_is_named_with_the_choices()
    {
        var result = await ZkToolProcess.RunAsync(["bench", "federation", "--short", "--only", "speed"], TimeSpan.FromMinutes(1));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown group(s) speed", result.Error);
        Assert.Contains("capacity", result.Error);
    }
}
