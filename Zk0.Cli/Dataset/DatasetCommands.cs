using System.CommandLine;

namespace Zk0.Cli.Dataset;

/// <summary>The <c>zk0 dataset</c> command group. Other features add their subcommands through <paramref name="extra"/>.</summary>
public static class DatasetCommands
{
    public static Command Create(params IEnumerable<Command> extra)
    {
        var group = new Command("dataset", "Inspect, validate and benchmark LeRobot datasets (local:/path, hf:owner/name or a directory).");
        group.Subcommands.Add(InfoCommand.Create());
        group.Subcommands.Add(ValidateCommand.Create());
        group.Subcommands.Add(FrameCommand.Create());
        group.Subcommands.Add(BenchCommand.Create());
        group.Subcommands.Add(SynthCommand.Create());
        foreach (var command in extra) group.Subcommands.Add(command);
        return group;
    }

    internal static Argument<string> UriArgument() => new("uri") { Description = "Dataset: local:/path, hf:owner/name (offline cache) or a directory." };
}
