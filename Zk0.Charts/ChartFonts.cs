using ScottPlot;

namespace Zk0.Charts;

/// <summary>
/// A font for chart text. The SkiaSharp build the project uses (NoDependencies) does not ask fontconfig for fonts, so
/// ScottPlot's default family resolves to nothing and labels come out blank; a TrueType file registered by path works.
/// <c>$ZK0_CHART_FONT</c> names one; otherwise DejaVu Sans or any .ttf under /usr/share/fonts is used.
/// </summary>
public static class ChartFonts
{
    public const string FontVariable = "ZK0_CHART_FONT";
    private const string Family = "zk0-chart";

    private static readonly Lazy<bool> Registered = new(Register);

    public static void Apply(Plot plot)
    {
        if (Registered.Value) plot.Font.Set(Family);
    }

    private static bool Register()
    {
        var path = FontFile();
        if (path is null) return false;
        Fonts.AddFontFile(Family, path);
        return true;
    }

    private static string? FontFile()
    {
        var configured = Environment.GetEnvironmentVariable(FontVariable);
        if (!string.IsNullOrWhiteSpace(configured) && File.Exists(configured)) return configured;
        const string fonts = "/usr/share/fonts";
        var dejaVu = Path.Combine(fonts, "truetype", "dejavu", "DejaVuSans.ttf");
        if (File.Exists(dejaVu)) return dejaVu;
        return Directory.Exists(fonts)
            ? Directory.EnumerateFiles(fonts, "*.ttf", SearchOption.AllDirectories).Order(StringComparer.Ordinal).FirstOrDefault()
            : null;
    }
}
