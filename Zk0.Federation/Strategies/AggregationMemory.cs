namespace Zk0.Federation.Strategies;

/// <summary>
/// What aggregating a round needs: <paramref name="HeapBytes"/> of process memory and <paramref name="MappedBytes"/>
/// of memory-mapped files (updates, optimizer state) that the OS pages in and out as needed.
/// </summary>
public sealed record AggregationMemory(long HeapBytes, long MappedBytes)
{
    public override string ToString() => $"{Mib(HeapBytes)} MiB in memory + {Mib(MappedBytes)} MiB memory-mapped from disk";

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
}
