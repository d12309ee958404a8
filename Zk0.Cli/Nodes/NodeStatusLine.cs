using System.Globalization;
using Spectre.Console;
using Zk0.SuperNode.Worker;

namespace Zk0.Cli.Nodes;

/// <summary>
/// The node's one live line (node id, round, step and loss, upload) on a terminal, with its warnings printed above;
/// piped, a line whenever the node's state changes.
/// </summary>
public sealed class NodeStatusLine(TextWriter output)
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(250);

    public async Task ShowAsync(NodeStatus status, NodeMessages messages, CancellationToken ct)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        if (console.Profile.Capabilities.Interactive)
        {
            await console.Status().StartAsync(Describe(status.Snapshot()), async context =>
            {
                while (!ct.IsCancellationRequested && status.ExitCode == 0)
                {
                    while (messages.TryTake(out var line)) console.MarkupLine($"[yellow]{Markup.Escape(line)}[/]");
                    context.Status(Markup.Escape(Describe(status.Snapshot())));
                    await Wait(ct);
                }
            });
            return;
        }
        string? last = null;
        while (!ct.IsCancellationRequested && status.ExitCode == 0)
        {
            while (messages.TryTake(out var line)) await output.WriteLineAsync(line);
            var snapshot = status.Snapshot();
            var state = $"{snapshot.State} {snapshot.NodeId} {snapshot.TasksCompleted}";
            if (state != last) await output.WriteLineAsync(Describe(snapshot));
            last = state;
            await Wait(ct);
        }
        while (messages.TryTake(out var line)) await output.WriteLineAsync(line);
    }

    public static string Describe(NodeStatusSnapshot s)
    {
        var parts = new List<string> { s.NodeId is null ? "registering" : $"node {s.NodeId}", s.State };
        if (s.Progress is { } p)
        {
            if (p.Steps > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"step {p.Step}/{p.Steps}"));
            if (p.Loss is { } loss) parts.Add(string.Create(CultureInfo.InvariantCulture, $"loss {loss:G4}"));
            if (p.UploadBytes > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"upload {100.0 * p.UploadedBytes / p.UploadBytes:F0}% of {p.UploadBytes / 1048576.0:F1} MiB"));
        }
        parts.Add($"{s.TasksCompleted} tasks done");
        if (s.LastError is { Length: > 0 } error) parts.Add($"last error: {error}");
        return string.Join(" · ", parts);
    }

    private static async Task Wait(CancellationToken ct)
    {
        try
        {
            await Task.Delay(Refresh, ct);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
