namespace Zk0.Cli.Tables;

/// <summary>Fixed-width text tables in Markdown's pipe layout (readable in a terminal, a CI log and docs).</summary>
public static class TextTable
{
    public static string Format(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Select(c => c[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        var lines = new List<string> { Line(headers, widths), "|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|" };
        lines.AddRange(rows.Select(c => Line(c, widths)));
        return string.Join(Environment.NewLine, lines);
    }

    private static string Line(IReadOnlyList<string> cells, int[] widths) =>
        "| " + string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))) + " |";
}
