using Zk0.Cli.Bench.Federation;

namespace Zk0.Tests.Cli.Bench.Federation;

public sealed class BenchTableTests
{
    [Fact]
    public void A_row_passes_only_when_its_measured_value_meets_the_goal()
    {
        var met = BenchRow.Compare("fold", "≥ 70 %", 71, v => v >= 70, "0 '%'", "");
        var missed = BenchRow.Compare("fold", "≥ 70 %", 69.4, v => v >= 70, "0 '%'", "");

        Assert.Equal((BenchVerdict.Pass, "71 %"), (met.Verdict, met.Result));
        Assert.Equal((BenchVerdict.Short, "69 %"), (missed.Verdict, missed.Result));
    }

    [Fact]
    public void The_table_aligns_columns_and_names_each_verdict()
    {
        var text = BenchTable.Format([
            BenchRow.Compare("round overhead", "≤ 100 ms", 140, v => v <= 100, "0 ms", "median of 5"),
            BenchRow.Figure("round time", "300 ms", "with transfers"),
        ]);

        var lines = text.Split(Environment.NewLine);
        Assert.Equal(4, lines.Length);
        Assert.Single(lines.Select(l => l.Length).Distinct());
        Assert.Contains("| SHORT   |", lines[2]);
        Assert.Contains("| info    |", lines[3]);
    }
}
