namespace Zk0.Datasets.Simulation;

/// <summary>
/// The TrueType file text is drawn with (video overlays, charts). The NoDependencies SkiaSharp build has no fontconfig,
/// so default typefaces draw nothing and a file must be loaded by path: <c>$ZK0_CHART_FONT</c> when it names one, else
/// DejaVu Sans, else the first .ttf under /usr/share/fonts; null when there is none.
/// </summary>
public static class FontFile
{
    public const string Variable = "ZK0_CHART_FONT";

    private static readonly Lazy<string?> Found = new(Search);

    public static string? Path => Found.Value;

    private static string? Search()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(configured) && File.Exists(configured)) return configured;
        const string fonts = "/usr/share/fonts";
        var dejaVu = System.IO.Path.Combine(fonts, "truetype", "dejavu", "DejaVuSans.ttf");
        if (File.Exists(dejaVu)) return dejaVu;
        return Directory.Exists(fonts)
            ? Directory.EnumerateFiles(fonts, "*.ttf", SearchOption.AllDirectories).Order(StringComparer.Ordinal).FirstOrDefault()
            : null;
    }
}
