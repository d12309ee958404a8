using Spectre.Console;

namespace Zk0.AppHost.Graph;

/// <summary>The AppHost's own lines on the console, <c>[apphost] ...</c>, one per line whatever the terminal width.</summary>
public sealed class AppHostConsole
{
    private readonly IAnsiConsole _console = AnsiConsole.Console;

    public AppHostConsole() => _console.Profile.Width = int.MaxValue / 2;

    public void Say(string line) => _console.MarkupLine($"[bold]{Markup.Escape("[apphost]")}[/] {Markup.Escape(line)}");

    public void Warn(string line) => _console.MarkupLine($"[bold red]{Markup.Escape("[apphost]")}[/] [red]{Markup.Escape(line)}[/]");
}
