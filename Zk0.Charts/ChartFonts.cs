using ScottPlot;
using Zk0.Datasets.Simulation;

namespace Zk0.Charts;

/// <summary>
/// A font for chart text. The SkiaSharp build the project uses (NoDependencies) does not ask fontconfig for fonts, so
/// ScottPlot's default family resolves to nothing and labels come out blank; the <see cref="FontFile"/> registered by path works.
/// </summary>
public static class ChartFonts
{
    private const string Family = "zk0-chart";

    private static readonly Lazy<bool> Registered = new(Register);

    public static void Apply(Plot plot)
    {
        if (Registered.Value) plot.Font.Set(Family);
    }

    private static bool Register()
    {
        var path = FontFile.Path;
        if (path is null) return false;
        Fonts.AddFontFile(Family, path);
        return true;
    }
}
