namespace Zk0.Cli.Bench.Federation;

/// <summary>Pass: the goal is met. Short: measured and missed. Info: a figure without a goal (context for another row).</summary>
public enum BenchVerdict { Pass, Short, Info }

/// <summary>
/// One row of <c>zk0 bench federation</c>: what was measured, its goal, the figure compared with the goal (a ratio
/// against the machine's own limit where the goal is one), and the absolute figures behind it.
/// </summary>
public sealed record BenchRow(string Measure, string Goal, string Result, BenchVerdict Verdict, string Detail)
{
    public static BenchRow Compare(string measure, string goal, double value, Func<double, bool> meets, string format, string detail) =>
        new(measure, goal, value.ToString(format, System.Globalization.CultureInfo.InvariantCulture), meets(value) ? BenchVerdict.Pass : BenchVerdict.Short, detail);

    public static BenchRow Figure(string measure, string result, string detail) => new(measure, "-", result, BenchVerdict.Info, detail);
}
