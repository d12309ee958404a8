using System.Globalization;
using System.Runtime.InteropServices;
using SkiaSharp;
using Zk0.Datasets.Frames;

namespace Zk0.Datasets.Simulation;

/// <summary>
/// Draws what happened at a step onto a video frame: a progress bar of the step budget along the bottom edge, one bar per
/// joint for the commanded action (its place between the joint's limits), a border coloured by the outcome (green
/// succeeded, red failed, none while running), and, when a font is available, the same as text.
/// </summary>
public static class RolloutOverlay
{
    private static readonly SKColor Strip = new(0, 0, 0, 150);
    private static readonly SKColor Progress = new(255, 255, 255);
    private static readonly SKColor ActionBar = new(80, 200, 255);
    private static readonly SKColor Success = new(40, 200, 70);
    private static readonly SKColor Failure = new(220, 50, 40);

    public static RgbFrame Draw(RgbFrame frame, int step, int maxSteps, ReadOnlySpan<float> action, RolloutOutcome outcome)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(frame.Width, frame.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var rgba = MemoryMarshal.AsBytes(bitmap.GetPixelSpan());
        for (int src = 0, dst = 0; src < frame.Pixels.Length; src += 3, dst += 4)
        {
            rgba[dst] = frame.Pixels[src];
            rgba[dst + 1] = frame.Pixels[src + 1];
            rgba[dst + 2] = frame.Pixels[src + 2];
            rgba[dst + 3] = 255;
        }
        using (var canvas = new SKCanvas(bitmap))
        {
            Paint(canvas, frame.Width, frame.Height, step, maxSteps, action, outcome);
            canvas.Flush();
        }
        var pixels = new byte[frame.Pixels.Length];
        rgba = MemoryMarshal.AsBytes(bitmap.GetPixelSpan());
        for (int src = 0, dst = 0; dst < pixels.Length; src += 4, dst += 3)
        {
            pixels[dst] = rgba[src];
            pixels[dst + 1] = rgba[src + 1];
            pixels[dst + 2] = rgba[src + 2];
        }
        return new RgbFrame(frame.Width, frame.Height, pixels);
    }

    private static void Paint(SKCanvas canvas, int width, int height, int step, int maxSteps, ReadOnlySpan<float> action, RolloutOutcome outcome)
    {
        using var fill = new SKPaint { Style = SKPaintStyle.Fill, IsAntialias = false };
        var stripHeight = Math.Max(12f, height / 5f);
        var stripTop = height - stripHeight;
        fill.Color = Strip;
        canvas.DrawRect(0, stripTop, width, stripHeight, fill);

        fill.Color = Progress;
        canvas.DrawRect(0, height - 3, width * Math.Clamp(step / (float)Math.Max(1, maxSteps), 0f, 1f), 3, fill);

        fill.Color = ActionBar;
        var slot = width / 4f / Math.Max(1, action.Length);
        var barRoom = stripHeight - 6;
        for (var j = 0; j < action.Length && j < ArmJoints.Count; j++)
        {
            var share = (ArmJoints.Clamp(j, action[j]) - ArmJoints.LowerLimits[j]) / (ArmJoints.UpperLimits[j] - ArmJoints.LowerLimits[j]);
            var barHeight = Math.Max(1f, share * barRoom);
            canvas.DrawRect(width - width / 4f + j * slot + 1, height - 4 - barHeight, Math.Max(1f, slot - 2), barHeight, fill);
        }

        if (outcome != RolloutOutcome.Running)
        {
            using var border = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = 4, Color = outcome == RolloutOutcome.Succeeded ? Success : Failure };
            canvas.DrawRect(2, 2, width - 4, height - 4, border);
        }
        DrawText(canvas, stripTop, stripHeight, step, action, outcome);
    }

    private static void DrawText(SKCanvas canvas, float stripTop, float stripHeight, int step, ReadOnlySpan<float> action, RolloutOutcome outcome)
    {
        if (OverlayFont.Typeface is not { } typeface) return;
        var size = Math.Clamp(stripHeight / 3.2f, 7f, 16f);
        using var font = new SKFont(typeface, size);
        using var paint = new SKPaint { Color = SKColors.White, IsAntialias = true };
        var status = outcome switch { RolloutOutcome.Succeeded => "success", RolloutOutcome.Failed => "failed", _ => "running" };
        canvas.DrawText($"step {step.ToString(CultureInfo.InvariantCulture)}  {status}", 4, stripTop + size + 1, SKTextAlign.Left, font, paint);
        var values = string.Join(" ", action.ToArray().Select(v => ((int)MathF.Round(v)).ToString(CultureInfo.InvariantCulture)));
        canvas.DrawText($"action {values}", 4, stripTop + 2 * size + 2, SKTextAlign.Left, font, paint);
    }
}
