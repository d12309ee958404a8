using System.Numerics;
using System.Runtime.InteropServices;
using SkiaSharp;
using Zk0.Datasets.Frames;

namespace Zk0.Datasets.Simulation;

/// <summary>Paints the scene with SkiaSharp into a reusable bitmap and returns it as an HWC RGB frame.</summary>
internal sealed class SceneRenderer : IDisposable
{
    private static readonly SKColor Background = new(58, 60, 66);
    private readonly int _width, _height;
    private readonly SKBitmap _bitmap;
    private readonly SKCanvas _canvas;
    private readonly SKPaint _fill = new() { IsAntialias = true, Style = SKPaintStyle.Fill };
    private readonly SKPaint _stroke = new() { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeCap = SKStrokeCap.Round };
    private readonly List<ScenePrimitive> _primitives = [];
    private readonly List<(ScenePrimitive Primitive, float Depth)> _visible = [];

    public SceneRenderer(int width, int height)
    {
        _width = width;
        _height = height;
        _bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        _canvas = new SKCanvas(_bitmap);
    }

    public RgbFrame Render(in SceneSnapshot scene, CameraView view)
    {
        var projector = new Projector(view, _width, _height);
        SceneBuilder.Build(scene, includeGripperBody: !view.MountedOnGripper, _primitives);

        _visible.Clear();
        foreach (var primitive in _primitives)
        {
            if (primitive.FacingNormal != Vector3.Zero && !FacesCamera(primitive, view.Position)) continue;
            var depth = 0f;
            foreach (var p in primitive.Points) depth += projector.ToCamera(p).Z;
            _visible.Add((primitive, depth / primitive.Points.Length));
        }
        // Stable order: by layer, then far to near among solids; ties keep build order.
        var ordered = _visible
            .Select((v, i) => (v.Primitive, v.Depth, Index: i))
            .OrderBy(v => v.Primitive.Layer)
            .ThenByDescending(v => v.Primitive.Layer == ScenePrimitive.SolidLayer ? v.Depth : 0f)
            .ThenBy(v => v.Index);

        _canvas.Clear(Background);
        foreach (var (primitive, _, _) in ordered)
        {
            if (primitive.IsSegment) DrawSegment(primitive, projector);
            else DrawPolygon(primitive, projector);
        }
        _canvas.Flush();
        return ToRgbFrame();
    }

    public void Dispose()
    {
        _canvas.Dispose();
        _bitmap.Dispose();
        _fill.Dispose();
        _stroke.Dispose();
    }

    private static bool FacesCamera(ScenePrimitive face, Vector3 cameraPosition)
    {
        var center = Vector3.Zero;
        foreach (var p in face.Points) center += p;
        center /= face.Points.Length;
        return Vector3.Dot(cameraPosition - center, face.FacingNormal) > 0f;
    }

    private void DrawPolygon(ScenePrimitive primitive, Projector projector)
    {
        var clipped = projector.ClipPolygon(primitive.Points);
        if (clipped.Count < 3) return;
        using var builder = new SKPathBuilder();
        builder.MoveTo(projector.ToPixel(clipped[0]));
        for (var i = 1; i < clipped.Count; i++) builder.LineTo(projector.ToPixel(clipped[i]));
        builder.Close();
        using var path = builder.Detach();
        _fill.Color = ToSkia(primitive.Color);
        _canvas.DrawPath(path, _fill);
    }

    private void DrawSegment(ScenePrimitive primitive, Projector projector)
    {
        if (!projector.ClipSegment(primitive.Points[0], primitive.Points[1], out var a, out var b)) return;
        var depth = MathF.Max((a.Z + b.Z) / 2f, Projector.Near);
        _stroke.StrokeWidth = MathF.Max(1f, 2f * primitive.Radius * projector.Focal / depth);
        _stroke.Color = ToSkia(primitive.Color);
        _canvas.DrawLine(projector.ToPixel(a), projector.ToPixel(b), _stroke);
    }

    private RgbFrame ToRgbFrame()
    {
        var rgba = MemoryMarshal.AsBytes(_bitmap.GetPixelSpan());
        var rgb = new byte[_width * _height * 3];
        for (int src = 0, dst = 0; dst < rgb.Length; src += 4, dst += 3)
        {
            rgb[dst] = rgba[src];
            rgb[dst + 1] = rgba[src + 1];
            rgb[dst + 2] = rgba[src + 2];
        }
        return new RgbFrame(_width, _height, rgb);
    }

    private static SKColor ToSkia(RgbColor color) => new(color.R, color.G, color.B);
}
