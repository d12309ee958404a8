using Spectre.Console;

namespace Zk0.AppHost.Logs;

/// <summary>
/// Prints resource output to the console prefixed with <c>[resource]</c> (or <c>[resource-suffix]</c>
/// for replicas) in a stable colour per resource, like <c>aspire logs</c>; stderr lines in red.
/// </summary>
public sealed class ConsoleLogSink(IAnsiConsole console) : IResourceLogSink
{
    private static readonly Color[] Palette =
    [
        Color.DeepSkyBlue1, Color.Orange1, Color.MediumPurple1, Color.SpringGreen2, Color.Gold1,
        Color.HotPink, Color.Aquamarine1, Color.LightSalmon1,
    ];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Color> _colours = [];

    public void Write(string resource, string instance, string line, bool isError)
    {
        lock (_gate)
        {
            if (!_colours.TryGetValue(resource, out var colour))
            {
                colour = Palette[_colours.Count % Palette.Length];
                _colours[resource] = colour;
            }
            var text = isError ? $"[red]{Markup.Escape(line)}[/]" : Markup.Escape(line);
            console.MarkupLine($"[{colour.ToMarkup()}]{Markup.Escape($"[{instance}]")}[/] {text}");
        }
    }
}
