using System.Numerics;

namespace Zk0.Datasets.Simulation;

/// <summary>
/// A flat polygon or a thick segment (a link drawn as a capsule) in world space. Primitives are
/// painted by <see cref="Layer"/> (table, then things lying on it, then solid objects) and, within
/// the solid layer, far to near. A polygon with a <see cref="FacingNormal"/> is a solid's face,
/// drawn only when it faces the camera.
/// </summary>
internal readonly record struct ScenePrimitive(int Layer, Vector3[] Points, float Radius, RgbColor Color, Vector3 FacingNormal = default)
{
    public const int TableLayer = 0;
    public const int OnTableLayer = 1;
    public const int SolidLayer = 2;

    public static ScenePrimitive Polygon(int layer, RgbColor color, params Vector3[] points) => new(layer, points, 0f, color);

    public static ScenePrimitive Segment(Vector3 from, Vector3 to, float radius, RgbColor color) =>
        new(SolidLayer, [from, to], radius, color);

    public static ScenePrimitive Face(RgbColor color, Vector3 normal, params Vector3[] points) => new(SolidLayer, points, 0f, color, normal);

    public bool IsSegment => Radius > 0f;
}
