namespace Zk0.Cli.Bench.Federation;

/// <summary>Prints rows as a fixed-width text table (readable in a terminal, a CI log and docs/performance.md).</summary>
public static class BenchTable
{
    private static readonly string[] Headers = ["measure", "goal", "result", "verdict", "figures"];

    public static string Format(IReadOnlyList<BenchRow> rows)
    {
        var cells = rows.Select(r => new[] { r.Measure, r.Goal, r.Result, Verdict(r.Verdict), r.Detail }).ToList();
        var widths = Headers.Select((h, i) => Math.Max(h.Length, cells.Select(c => c[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        var lines = new List<string> { Line(Headers, widths), "|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|" };
        lines.AddRange(cells.Select(c => Line(c, widths)));
        return string.Join(Environment.NewLine, lines);
    }

    private static string Line(IReadOnlyList<string> cells, int[] widths) =>
        "| " + string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))) + " |";

    private static string Verdict(BenchVerdict verdict) => verdict switch
    {
        BenchVerdict.Pass => "pass",
        BenchVerdict.Short => "SHORT",
        _ => "info",
    };
}
