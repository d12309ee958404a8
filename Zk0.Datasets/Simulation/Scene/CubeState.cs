using System.Numerics;

namespace Zk0.Datasets.Simulation;

/// <summary>The cube's centre (metres), its yaw around z (degrees) and whether the gripper holds it.</summary>
public readonly record struct CubeState(Vector3 Center, float YawDegrees, bool Held)
{
    public Vector2 TablePosition => new(Center.X, Center.Y);
    public bool RestsOnTable => !Held && MathF.Abs(Center.Z - Tabletop.CubeSize / 2f) < 1e-4f;
}
