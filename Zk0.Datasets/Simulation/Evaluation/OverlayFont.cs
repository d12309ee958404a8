using SkiaSharp;

namespace Zk0.Datasets.Simulation;

/// <summary>
/// A TrueType file for overlay text. The NoDependencies SkiaSharp build has no fontconfig, so the default typeface draws
/// nothing; a file loaded by path works. <c>$ZK0_CHART_FONT</c> names one (as for charts), else DejaVu Sans or any .ttf
/// under /usr/share/fonts; none: the overlay draws its bars and border without text.
/// </summary>
internal static class OverlayFont
{
    private static readonly Lazy<SKTypeface?> Loaded = new(Load);

    public static SKTypeface? Typeface => Loaded.Value;

    private static SKTypeface? Load()
    {
        var path = FontFile();
        return path is null ? null : SKTypeface.FromFile(path);
    }

    private static string? FontFile()
    {
        var configured = Environment.GetEnvironmentVariable("ZK0_CHART_FONT");
        if (!string.IsNullOrWhiteSpace(configured) && File.Exists(configured)) return configured;
        const string fonts = "/usr/share/fonts";
        var dejaVu = Path.Combine(fonts, "truetype", "dejavu", "DejaVuSans.ttf");
        if (File.Exists(dejaVu)) return dejaVu;
        return Directory.Exists(fonts)
            ? Directory.EnumerateFiles(fonts, "*.ttf", SearchOption.AllDirectories).Order(StringComparer.Ordinal).FirstOrDefault()
            : null;
    }
}
