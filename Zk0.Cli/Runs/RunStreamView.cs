using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using Zk0.Cli.Connection;
using Zk0.Federation.Protocol;
using Zk0.Federation.Runs;

namespace Zk0.Cli.Runs;

/// <summary>
/// Shows a run as its events arrive: on a terminal a live table with a progress bar per round (nodes answered of
/// selected), train and server-eval figures, and the latest events; piped, one line per event. Returns the exit code
/// of the run's outcome.
/// </summary>
public sealed class RunStreamView(IAnsiConsole console, TextWriter plain)
{
    private const int RecentLines = 8;
    private readonly SortedDictionary<int, RoundProgress> _rounds = [];
    private readonly Queue<string> _recent = new();
    private string _state = "submitted";

    public static RunStreamView ForTerminal(TextWriter output) =>
        new(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) }), output);

    public async Task<int> ShowAsync(Control.ControlClient control, string runId, CancellationToken ct)
    {
        var events = RunEventFollower.ReadAsync(control, runId, follow: true, line => Note(line), ct);
        int? outcome = null;
        if (console.Profile.Capabilities.Interactive)
        {
            await console.Live(Render(runId)).AutoClear(false).StartAsync(async live =>
            {
                await foreach (var e in events)
                {
                    outcome ??= Apply(e);
                    live.UpdateTarget(Render(runId));
                }
            });
        }
        else
        {
            await foreach (var e in events)
            {
                outcome ??= Apply(e);
                if (RunEventText.Describe(e) is { } line) await plain.WriteLineAsync($"{Timestamps.Clock(e.UnixMs)} {line}");
            }
        }
        if (outcome is { } code) return code;
        var run = await control.GetRunAsync(new GetRunRequest { RunId = runId }, cancellationToken: ct);
        return RunOutcome.ExitCode(run.Summary.Status);
    }

    /// <summary>Folds the event in; the exit code once it is the run's last.</summary>
    private int? Apply(RunEvent e)
    {
        if (e.Round > 0)
        {
            if (!_rounds.TryGetValue(e.Round, out var round)) _rounds[e.Round] = round = new RoundProgress(e.Round);
            round.Apply(e);
        }
        _state = e.Kind switch
        {
            RunEventKind.RunStarted => "running",
            RunEventKind.RunCompleted => "completed",
            RunEventKind.RunFailed => "failed",
            RunEventKind.RunStopped => "stopped",
            _ => _state,
        };
        if (RunEventText.Describe(e) is { } line) Note($"{Timestamps.Clock(e.UnixMs)} {line}");
        return e.Terminal ? RunOutcome.ExitCode(e.Kind) : null;
    }

    private void Note(string line)
    {
        _recent.Enqueue(line);
        while (_recent.Count > RecentLines) _recent.Dequeue();
    }

    private IRenderable Render(string runId)
    {
        var table = new Table().Border(TableBorder.Rounded).Expand()
            .AddColumns("round", "nodes answered", "train loss", "eval loss", "action error", "success", "");
        foreach (var round in _rounds.Values)
        {
            var total = Math.Max(round.Selected.Count, round.Answered);
            table.AddRow(
                new Markup(round.Round.ToString(CultureInfo.InvariantCulture)),
                new Markup($"{Bar(round.Answered, total)} {round.Answered}/{total}{(round.Failed.Count > 0 ? $" [red]({round.Failed.Count} failed)[/]" : "")}"),
                new Markup(Figure(round.TrainLoss)),
                new Markup(Figure(round.EvalLoss)),
                new Markup(Figure(round.ActionError)),
                new Markup(round.SuccessRate is { } s ? s.ToString("P0", CultureInfo.InvariantCulture) : "-"),
                new Markup(round.Completed ? "[green]done[/]" : "[yellow]…[/]"));
        }
        var header = new Markup($"run [bold]{Markup.Escape(runId)}[/]: {Markup.Escape(_state)}");
        var recent = new Rows(_recent.Select(l => new Markup($"[grey]{Markup.Escape(l)}[/]")));
        return new Rows(header, table, recent);
    }

    private static string Bar(int done, int total)
    {
        const int width = 12;
        var filled = total == 0 ? 0 : (int)Math.Round(width * (double)done / total);
        return $"[green]{new string('█', filled)}[/][grey]{new string('░', width - filled)}[/]";
    }

    private static string Figure(double? value) => value is { } v ? v.ToString("G4", CultureInfo.InvariantCulture) : "-";
}
