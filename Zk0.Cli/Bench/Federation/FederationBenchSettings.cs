namespace Zk0.Cli.Bench.Federation;

/// <summary>
/// The sizes every row runs at. <see cref="Full"/> is what the goals are stated for; <see cref="Short"/> runs the
/// same code paths on small sizes in seconds (CI proves the bench still works with it; its figures are not compared).
/// </summary>
public sealed record FederationBenchSettings(
    bool IsShort,
    string WorkDirectory,
    long FoldParameters,
    int FoldUpdates,
    long MemoryParameters,
    int[] MemoryNodeCounts,
    long TransferBytes,
    int OverheadNodes,
    long OverheadParameters,
    int[] CapacityNodeCounts,
    int RobustNodes,
    long RobustParameters)
{
    public static FederationBenchSettings Full(string workDirectory) => new(false, workDirectory,
        FoldParameters: 100_000_000, FoldUpdates: 10,
        MemoryParameters: 100_000_000, MemoryNodeCounts: [10, 50],
        TransferBytes: 400_000_000,
        OverheadNodes: 100, OverheadParameters: 1_000_000,
        CapacityNodeCounts: [1000, 2000, 4000, 8000],
        RobustNodes: 50, RobustParameters: 10_000_000);

    public static FederationBenchSettings Short(string workDirectory) => new(true, workDirectory,
        FoldParameters: 2_000_000, FoldUpdates: 3,
        MemoryParameters: 1_000_000, MemoryNodeCounts: [2, 4],
        TransferBytes: 8_000_000,
        OverheadNodes: 4, OverheadParameters: 10_000,
        CapacityNodeCounts: [20],
        RobustNodes: 4, RobustParameters: 200_000);
}
