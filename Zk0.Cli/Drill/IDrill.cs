namespace Zk0.Cli.Drill;

/// <summary>One reliability drill: it starts its own federation, injects its faults and returns its rows.</summary>
public interface IDrill
{
    string Name { get; }

    Task<IReadOnlyList<DrillRow>> RunAsync(DrillContext context, CancellationToken ct);
}
