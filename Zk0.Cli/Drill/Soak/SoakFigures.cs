using System.Globalization;
using Zk0.Cli.Simulation;
using Zk0.Cli.Tables;

namespace Zk0.Cli.Drill.Soak;

/// <summary>What a soak measured. It passes with rounds completed, no error, and SuperLink memory flat (the end within 10% of the middle).</summary>
public sealed record SoakFigures(int Nodes, TimeSpan Duration, int RoundsCompleted, int Crashed, int Joined, IReadOnlyList<string> Errors,
    long RssStart, long RssMiddle, long RssEnd, double P50Ms, double P99Ms, int Calls)
{
    public bool MemoryFlat => RssEnd <= RssMiddle * 1.1;
    public bool Passed => RoundsCompleted > 0 && Errors.Count == 0 && MemoryFlat;

    public string Table() => TextTable.Format(["measure", "figure"],
    [
        ["nodes online", $"{Nodes} (through the gateway)"],
        ["duration", $"{Duration.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min"],
        ["rounds completed", $"{RoundsCompleted}"],
        ["churn", $"{Crashed} nodes crashed, {Joined} joined"],
        ["errors", Errors.Count == 0 ? "0" : $"{Errors.Count}, first: {Errors[0]}"],
        ["SuperLink RSS start / middle / end", $"{ProcessMemory.Mib(RssStart)} / {ProcessMemory.Mib(RssMiddle)} / {ProcessMemory.Mib(RssEnd)}{(MemoryFlat ? " (flat)" : " (GROWING)")}"],
        ["node call latency p50 / p99", $"{P50Ms.ToString("0.0", CultureInfo.InvariantCulture)} / {P99Ms.ToString("0", CultureInfo.InvariantCulture)} ms over {Calls} heartbeats and pulls"],
        ["verdict", Passed ? "pass" : "FAIL"],
    ]);
}
