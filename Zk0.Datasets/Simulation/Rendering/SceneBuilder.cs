using System.Numerics;

namespace Zk0.Datasets.Simulation;

/// <summary>Turns a scene snapshot into the primitives the renderer paints.</summary>
internal static class SceneBuilder
{
    private static readonly RgbColor TableColor = new(196, 168, 128);
    private static readonly RgbColor ShadowColor = new(120, 100, 76);
    private static readonly RgbColor LinkColor = new(228, 226, 218);
    private static readonly RgbColor JointColor = new(70, 70, 78);
    private static readonly RgbColor JawColor = new(40, 40, 46);
    private static readonly Vector3 Light = Vector3.Normalize(new Vector3(0.35f, 0.45f, 0.82f));

    public static void Build(in SceneSnapshot scene, bool includeGripperBody, List<ScenePrimitive> into)
    {
        into.Clear();
        AddTable(into);
        foreach (var bin in Tabletop.Bins) AddBin(bin, into);
        AddCube(scene.Cube, scene.Task.CubeColor, into);
        AddArm(scene.Pose, includeGripperBody, into);
    }

    private static void AddTable(List<ScenePrimitive> into)
    {
        var t = Tabletop.Table;
        into.Add(ScenePrimitive.Polygon(ScenePrimitive.TableLayer, TableColor, Rect(t, 0f)));
    }

    private static void AddBin(Bin bin, List<ScenePrimitive> into)
    {
        into.Add(ScenePrimitive.Polygon(ScenePrimitive.OnTableLayer, bin.Color, Rect(bin.Area, 0.0005f)));
        var rim = Rect(bin.Area, 0.008f);
        var rimColor = Shade(bin.Color, 1.6f);
        for (var i = 0; i < rim.Length; i++)
            into.Add(ScenePrimitive.Segment(rim[i], rim[(i + 1) % rim.Length], 0.003f, rimColor));
    }

    private static void AddCube(CubeState cube, RgbColor color, List<ScenePrimitive> into)
    {
        var half = Tabletop.CubeSize / 2f;
        var yaw = cube.YawDegrees * MathF.PI / 180f;
        var ax = new Vector3(MathF.Cos(yaw), MathF.Sin(yaw), 0f) * half;
        var ay = new Vector3(-MathF.Sin(yaw), MathF.Cos(yaw), 0f) * half;
        var az = Vector3.UnitZ * half;
        var c = cube.Center;

        var footprint = new Vector3(c.X, c.Y, 0.0008f);
        into.Add(ScenePrimitive.Polygon(ScenePrimitive.OnTableLayer, ShadowColor,
            footprint - ax - ay, footprint + ax - ay, footprint + ax + ay, footprint - ax + ay));

        AddFace(c + az, ax, ay, Vector3.UnitZ, color, into);
        AddFace(c - az, ay, ax, -Vector3.UnitZ, color, into);
        AddFace(c + ax, ay, az, Vector3.Normalize(ax), color, into);
        AddFace(c - ax, az, ay, -Vector3.Normalize(ax), color, into);
        AddFace(c + ay, az, ax, Vector3.Normalize(ay), color, into);
        AddFace(c - ay, ax, az, -Vector3.Normalize(ay), color, into);
    }

    private static void AddFace(Vector3 center, Vector3 u, Vector3 v, Vector3 normal, RgbColor color, List<ScenePrimitive> into)
    {
        var lit = Shade(color, 0.55f + 0.5f * MathF.Max(0f, Vector3.Dot(normal, Light)));
        into.Add(ScenePrimitive.Face(lit, normal, center - u - v, center + u - v, center + u + v, center - u + v));
    }

    private static void AddArm(ArmPose pose, bool includeGripperBody, List<ScenePrimitive> into)
    {
        var palm = pose.Tip - pose.ToolDirection * Grasp.FingerLength;
        if (includeGripperBody)
        {
            into.Add(ScenePrimitive.Segment(pose.Base, pose.Shoulder, 0.028f, JointColor));
            into.Add(ScenePrimitive.Segment(pose.Shoulder, pose.Elbow, 0.017f, LinkColor));
            into.Add(ScenePrimitive.Segment(pose.Elbow, pose.Wrist, 0.015f, LinkColor));
            into.Add(ScenePrimitive.Segment(pose.Wrist, palm, 0.014f, JointColor));
            into.Add(ScenePrimitive.Segment(palm - pose.JawAxis * 0.025f, palm + pose.JawAxis * 0.025f, 0.008f, JawColor));
        }

        var halfOpening = pose.JawAxis * (pose.JawOpening / 2f + 0.004f);
        into.Add(ScenePrimitive.Segment(palm + halfOpening, pose.Tip + halfOpening, 0.004f, JawColor));
        into.Add(ScenePrimitive.Segment(palm - halfOpening, pose.Tip - halfOpening, 0.004f, JawColor));
    }

    private static Vector3[] Rect(TableRegion r, float z) =>
        [new(r.MinX, r.MinY, z), new(r.MaxX, r.MinY, z), new(r.MaxX, r.MaxY, z), new(r.MinX, r.MaxY, z)];

    public static RgbColor Shade(RgbColor color, float factor) =>
        new(ToByte(color.R * factor), ToByte(color.G * factor), ToByte(color.B * factor));

    private static byte ToByte(float value) => (byte)Math.Clamp(MathF.Round(value), 0f, 255f);
}
