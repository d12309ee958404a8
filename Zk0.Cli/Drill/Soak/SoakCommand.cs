using System.CommandLine;

namespace Zk0.Cli.Drill.Soak;

/// <summary><c>zk0 drill soak</c>: many synthetic nodes through the gateway, continuous rounds with churn, for minutes.</summary>
public static class SoakCommand
{
    public static Command Create()
    {
        var nodes = new Option<int>("--nodes") { Description = "synthetic nodes online at any time", DefaultValueFactory = _ => 200 };
        var minutes = new Option<double>("--minutes") { Description = "how long rounds run", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "seed of the churn (which node crashes when)", DefaultValueFactory = _ => 1 };
        var work = new Option<string?>("--work-dir") { Description = "where blobs and state are written (default: a temporary folder, removed afterwards)" };
        var command = new Command("soak", "Continuous rounds with many nodes joining and crashing, through the gateway: rounds, errors, SuperLink memory, call latency.")
        {
            nodes, minutes, seed, work,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(nodes) < 2 || parse.GetValue(minutes) <= 0)
            {
                Console.Error.WriteLine("zk0 drill soak: --nodes must be 2 or more and --minutes more than 0.");
                return 2;
            }
            var ownsWork = parse.GetValue(work) is null;
            var directory = Path.GetFullPath(parse.GetValue(work) ?? Path.Combine(Path.GetTempPath(), $"zk0-soak-{Guid.NewGuid():N}"));
            Directory.CreateDirectory(directory);
            try
            {
                var soak = new SoakRun(parse.GetValue(nodes), TimeSpan.FromMinutes(parse.GetValue(minutes)), parse.GetValue(seed), directory);
                var figures = await soak.RunAsync(Console.WriteLine, ct);
                Console.WriteLine();
                Console.WriteLine(figures.Table());
                return figures.Passed ? 0 : 1;
            }
            finally
            {
                if (ownsWork) Directory.Delete(directory, recursive: true);
            }
        });
        return command;
    }
}
