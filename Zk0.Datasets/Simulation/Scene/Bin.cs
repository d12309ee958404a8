namespace Zk0.Datasets.Simulation;

/// <summary>A shallow tray on the table; a cube resting inside <see cref="Area"/> counts as placed in it.</summary>
public sealed record Bin(string Name, TableRegion Area, RgbColor Color);
