using SkiaSharp;

namespace Zk0.Datasets.Simulation;

/// <summary>
/// The typeface of overlay text, from <see cref="FontFile"/>; none: the overlay draws its bars and border without text.
/// </summary>
internal static class OverlayFont
{
    private static readonly Lazy<SKTypeface?> Loaded = new(Load);

    public static SKTypeface? Typeface => Loaded.Value;

    private static SKTypeface? Load() => FontFile.Path is { } path ? SKTypeface.FromFile(path) : null;
}
