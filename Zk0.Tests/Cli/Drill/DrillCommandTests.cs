using Zk0.Tests.Cli.Bench.Federation;

namespace Zk0.Tests.Cli.Drill;

/// <summary>
/// <c>zk0 drill --short</c> end to end: every drill kills or poisons the real services (Garnet, SuperLink replicas as
/// child processes) and the federation must survive each one; the table names the drill, the faults and the verdict.
/// </summary>
public sealed class DrillCommandTests
{
    private static readonly string[] Drills =
    [
        "SuperLink kill -9", "leader takeover", "SuperNode killed mid-round", "slow node + hung node", "Redis restart, AOF on",
        "Redis restart, no persistence", "Evaluator killed", "poisoning",
    ];

    [Fact]
    [Trait("Category", "Drill")]
    public async Task Short_drills_all_pass_and_print_the_table()
    {
        var work = Path.Combine(Path.GetTempPath(), $"zk0-drill-test-{Guid.NewGuid():N}");
        try
        {
            var result = await ZkToolProcess.RunAsync(["drill", "--short", "--work-dir", work], TimeSpan.FromMinutes(10));

            var table = result.Output.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).Skip(1).ToList();
            var report = $"exit {result.ExitCode}{Environment.NewLine}{string.Join(Environment.NewLine, table)}{Environment.NewLine}{result.Error}";
            foreach (var drill in Drills) Assert.True(table.Any(row => row.StartsWith($"| {drill} ", StringComparison.Ordinal)), $"no row for {drill}:{Environment.NewLine}{report}");
            Assert.True(table.All(row => Verdict(row) == "pass"), $"a drill failed:{Environment.NewLine}{report}");
            Assert.True(result.ExitCode == 0, report);
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }

    private static string Verdict(string row) => row.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];

    [Fact]
    public async Task An_unknown_drill_is_named_with_the_choices()
    {
        var result = await ZkToolProcess.RunAsync(["drill", "--short", "--only", "meteor"], TimeSpan.FromMinutes(1));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown drill(s) meteor", result.Error);
        Assert.Contains("superlink-kill", result.Error);
    }
}
