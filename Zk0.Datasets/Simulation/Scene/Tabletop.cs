namespace Zk0.Datasets.Simulation;

/// <summary>
/// The fixed scene every task shares: the table and its bins, laid out around the arm's base at
/// the origin (x forward, y to the arm's left). Every task sees every bin, so the instruction and
/// the cube's colour are what tell the tasks apart.
/// </summary>
public static class Tabletop
{
    public static TableRegion Table { get; } = new(-0.12f, 0.40f, -0.32f, 0.32f);

    public static Bin LeftBin { get; } = new("left", new TableRegion(0.09f, 0.19f, 0.14f, 0.24f), new RgbColor(70, 80, 95));
    public static Bin RightBin { get; } = new("right", new TableRegion(0.09f, 0.19f, -0.24f, -0.14f), new RgbColor(95, 80, 70));
    public static Bin FarBin { get; } = new("far", new TableRegion(0.23f, 0.29f, -0.07f, 0.07f), new RgbColor(75, 95, 75));

    public static IReadOnlyList<Bin> Bins { get; } = [LeftBin, RightBin, FarBin];

    /// <summary>Edge length of every cube, metres.</summary>
    public const float CubeSize = 0.03f;
}
