using Zk0.Cli.Tables;

namespace Zk0.Cli.Drill;

/// <summary>
/// One row of <c>zk0 drill</c>: the drill, the faults it injected, what happened, whether the final model equals the
/// undisturbed reference run's ("-" where the drill changes which updates a round folds, so no reference applies), and
/// whether the federation behaved as it must.
/// </summary>
public sealed record DrillRow(string Drill, string Faults, string Result, string FinalHash, bool Passed)
{
    private static readonly string[] Headers = ["drill", "faults injected", "result", "final hash", "verdict"];

    public static string HashVerdict(string actual, string reference) => actual == reference ? "matches" : $"MISMATCH {Short(actual)} vs {Short(reference)}";

    public static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;

    public static string Table(IReadOnlyList<DrillRow> rows) =>
        TextTable.Format(Headers, rows.Select(r => (IReadOnlyList<string>)[r.Drill, r.Faults, r.Result, r.FinalHash, r.Passed ? "pass" : "FAIL"]).ToList());
}
