namespace Zk0.Cli.Bench.Federation;

/// <summary>One group of rows of <c>zk0 bench federation</c>; <see cref="Name"/> is what <c>--only</c> selects.</summary>
public interface IFederationBench
{
    string Name { get; }

    Task<IReadOnlyList<BenchRow>> RunAsync(FederationBenchSettings settings, Action<string> log, CancellationToken ct);
}
