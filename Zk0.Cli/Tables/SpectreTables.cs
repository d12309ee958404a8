using Spectre.Console;
using Spectre.Console.Rendering;

namespace Zk0.Cli.Tables;

/// <summary>Writes a Spectre renderable to a command's output writer (the console, or a test's capture).</summary>
public static class SpectreTables
{
    public static void Write(TextWriter output, IRenderable renderable)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        if (!console.Profile.Capabilities.Interactive) console.Profile.Width = 160;
        console.Write(renderable);
    }
}
