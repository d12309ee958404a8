using System.Numerics;
using SkiaSharp;

namespace Zk0.Datasets.Simulation;

/// <summary>Pinhole projection from world to pixel coordinates, with clipping at the near plane.</summary>
internal readonly struct Projector
{
    public const float Near = 0.005f;
    private readonly Vector3 _position, _right, _up, _forward;
    private readonly float _focal, _cx, _cy;

    public Projector(CameraView view, int width, int height)
    {
        _position = view.Position;
        _forward = Vector3.Normalize(view.Forward);
        _right = Vector3.Normalize(Vector3.Cross(_forward, view.Up));
        _up = Vector3.Cross(_right, _forward);
        _focal = height / 2f / MathF.Tan(view.VerticalFovDegrees * MathF.PI / 360f);
        _cx = width / 2f;
        _cy = height / 2f;
    }

    public float Focal => _focal;

    public Vector3 ToCamera(Vector3 world)
    {
        var d = world - _position;
        return new Vector3(Vector3.Dot(d, _right), Vector3.Dot(d, _up), Vector3.Dot(d, _forward));
    }

    public SKPoint ToPixel(Vector3 camera) =>
        new(_cx + _focal * camera.X / camera.Z, _cy - _focal * camera.Y / camera.Z);

    /// <summary>The polygon's camera-space vertices in front of the near plane (Sutherland–Hodgman against one plane).</summary>
    public List<Vector3> ClipPolygon(ReadOnlySpan<Vector3> world)
    {
        var clipped = new List<Vector3>(world.Length + 2);
        for (var i = 0; i < world.Length; i++)
        {
            var a = ToCamera(world[i]);
            var b = ToCamera(world[(i + 1) % world.Length]);
            var aIn = a.Z >= Near;
            var bIn = b.Z >= Near;
            if (aIn) clipped.Add(a);
            if (aIn != bIn) clipped.Add(Vector3.Lerp(a, b, (Near - a.Z) / (b.Z - a.Z)));
        }
        return clipped;
    }

    public bool ClipSegment(Vector3 worldA, Vector3 worldB, out Vector3 a, out Vector3 b)
    {
        a = ToCamera(worldA);
        b = ToCamera(worldB);
        if (a.Z < Near && b.Z < Near) return false;
        if (a.Z < Near) a = Vector3.Lerp(a, b, (Near - a.Z) / (b.Z - a.Z));
        else if (b.Z < Near) b = Vector3.Lerp(b, a, (Near - b.Z) / (a.Z - b.Z));
        return true;
    }
}
