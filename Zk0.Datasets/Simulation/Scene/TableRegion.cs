using System.Numerics;

namespace Zk0.Datasets.Simulation;

/// <summary>An axis-aligned rectangle on the table top (metres, world frame).</summary>
public readonly record struct TableRegion(float MinX, float MaxX, float MinY, float MaxY)
{
    public Vector2 Center => new((MinX + MaxX) / 2f, (MinY + MaxY) / 2f);
    public float SizeX => MaxX - MinX;
    public float SizeY => MaxY - MinY;

    public bool Contains(Vector2 point) => point.X >= MinX && point.X <= MaxX && point.Y >= MinY && point.Y <= MaxY;

    public Vector2 Sample(Random random) =>
        new(MinX + (float)random.NextDouble() * SizeX, MinY + (float)random.NextDouble() * SizeY);
}
