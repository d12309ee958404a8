using Zk0.Cli.Tables;

namespace Zk0.Cli.Bench.Federation;

/// <summary>Prints rows as a fixed-width text table (readable in a terminal, a CI log and docs/performance.md).</summary>
public static class BenchTable
{
    private static readonly string[] Headers = ["measure", "goal", "result", "verdict", "figures"];

    public static string Format(IReadOnlyList<BenchRow> rows) =>
        TextTable.Format(Headers, rows.Select(r => (IReadOnlyList<string>)[r.Measure, r.Goal, r.Result, Verdict(r.Verdict), r.Detail]).ToList());

    private static string Verdict(BenchVerdict verdict) => verdict switch
    {
        BenchVerdict.Pass => "pass",
        BenchVerdict.Short => "SHORT",
        _ => "info",
    };
}
