namespace Zk0.Datasets.Simulation;

/// <summary>
/// The named synthetic tasks. They differ in cube colour, start region and goal bin, so giving each
/// node its own task (<see cref="ForNode"/>) makes the federation's data non-IID.
/// </summary>
public static class SimTaskCatalog
{
    private static readonly TableRegion CentreRight = new(0.15f, 0.21f, -0.10f, -0.03f);
    private static readonly TableRegion CentreLeft = new(0.15f, 0.21f, 0.03f, 0.10f);
    private static readonly TableRegion NearBase = new(0.10f, 0.14f, -0.05f, 0.05f);
    private static readonly TableRegion Centre = new(0.17f, 0.21f, -0.03f, 0.03f);

    public static IReadOnlyList<SimTask> All { get; } =
    [
        Make("red", new RgbColor(210, 40, 40), CentreRight, Tabletop.LeftBin),
        Make("green", new RgbColor(40, 170, 60), CentreLeft, Tabletop.RightBin),
        Make("blue", new RgbColor(40, 80, 215), NearBase, Tabletop.FarBin),
        Make("yellow", new RgbColor(230, 200, 30), Centre, Tabletop.RightBin),
        Make("purple", new RgbColor(140, 50, 170), NearBase, Tabletop.LeftBin),
        Make("orange", new RgbColor(240, 130, 20), CentreLeft, Tabletop.FarBin),
    ];

    public static IReadOnlyList<string> Names { get; } = All.Select(task => task.Name).ToArray();

    /// <summary>The task used when nothing else is said.</summary>
    public static SimTask Default => All[0];

    public static bool TryGet(string name, out SimTask task)
    {
        task = All.FirstOrDefault(t => string.Equals(t.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))!;
        return task is not null;
    }

    /// <summary>The task called <paramref name="name"/>; an unknown name fails with the list of known ones.</summary>
    public static SimTask Get(string name) =>
        TryGet(name, out var task)
            ? task
            : throw new UnknownSimTaskException(name);

    /// <summary>The default task of the node with this 0-based index: tasks are dealt round-robin.</summary>
    public static SimTask ForNode(int nodeIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nodeIndex);
        return All[nodeIndex % All.Count];
    }

    private static SimTask Make(string colour, RgbColor rgb, TableRegion start, Bin goal) =>
        new($"{colour}-cube-to-{goal.Name}-bin", $"pick up the {colour} cube and place it in the {goal.Name} bin", rgb, start, goal);
}

public sealed class UnknownSimTaskException(string name)
    : ArgumentException($"Unknown synthetic task '{name}'. Known tasks: {string.Join(", ", SimTaskCatalog.Names)}.")
{
    public string TaskName { get; } = name;
}
