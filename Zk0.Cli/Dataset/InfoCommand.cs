using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Zk0.Datasets.Metadata;
using Zk0.Datasets.Reading;
using Zk0.Datasets.Uris;

namespace Zk0.Cli.Dataset;

internal static class InfoCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create()
    {
        var uri = DatasetCommands.UriArgument();
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
        var command = new Command("info", "Codebase version, robot, fps, episodes, frames, tasks, features and cameras.") { uri, json };
        command.SetAction((parse, cancellationToken) => CliRun.GuardAsync(parse, async output =>
        {
            var metadata = await MetadataReader.ReadAsync(DatasetUri.Resolve(parse.GetValue(uri)!), cancellationToken);
            var summary = DatasetSummary.From(metadata);
            if (parse.GetValue(json)) await output.WriteLineAsync(JsonSerializer.Serialize(summary, Json));
            else await WriteTextAsync(output, summary);
            return 0;
        }));
        return command;
    }

    private static async Task WriteTextAsync(TextWriter output, DatasetSummary s)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"""
            dataset:          {s.Root}
            codebase_version: {s.CodebaseVersion}
            robot_type:       {s.RobotType ?? "(none)"}
            fps:              {s.Fps}
            episodes:         {s.Episodes}
            frames:           {s.Frames}
            tasks:            {s.Tasks}
            """);
        await output.WriteLineAsync(text);
        foreach (var task in s.TaskNames.Take(10)) await output.WriteLineAsync($"  - {task}");
        await output.WriteLineAsync("features:");
        foreach (var f in s.Features) await output.WriteLineAsync($"  {f.Key,-32} {f.DType,-8} [{string.Join(", ", f.Shape)}]");
        await output.WriteLineAsync("cameras:");
        if (s.Cameras.Count == 0) await output.WriteLineAsync("  (none)");
        foreach (var c in s.Cameras) await output.WriteLineAsync($"  {c.Key,-32} {c.Storage,-6} {c.Codec ?? "?",-20} {c.Width}x{c.Height}");
    }
}
