using System.Globalization;
using Zk0.AppHost.Redis;
using Zk0.Federation.Runs;

namespace Zk0.AppHost.CommandLine;

/// <summary>What <c>dotnet run --project Zk0.AppHost -- ...</c> was asked to do.</summary>
public sealed record AppHostArguments
{
    public int Nodes { get; init; } = 4;

    public bool ExitWhenDone { get; init; }

    public string OutputDirectory { get; init; } = "outputs";

    public IReadOnlyDictionary<string, string> RunConfig { get; init; } = new Dictionary<string, string>();

    public bool SubmitRun { get; init; } = true;

    public RedisHosting Redis { get; init; } = RedisHosting.Embedded;

    public bool RandomPorts { get; init; }

    /// <summary>"manifest" to write the Aspire manifest instead of running.</summary>
    public string? Publisher { get; init; }

    public string? OutputPath { get; init; }

    public bool ShowHelp { get; init; }

    public const string Usage = """
        Usage: dotnet run --project Zk0.AppHost -- [options]

        Starts a local Zk0 federation (Redis, SuperLink, Evaluator, Gateway, N SuperNodes), submits a
        run through the gateway's Control API and prints its progress.

          --nodes N                 SuperNode replicas, each on its own synthetic task (default 4)
          --run-config "k=v ..."    run settings: num-server-rounds, local-steps, batch-size,
                                    fraction-train, min-train-nodes, seed, strategy, ...
          --output DIR              where <run-id>/ gets run.json, metrics.json, charts/ and
                                    checkpoints/ (default ./outputs; checkpoint-interval=N rounds)
          --exit-when-done          stop the graph when the run ends; exit 0 if it completed
          --no-run                  start the graph only (submit runs with the zk0 CLI)
          --redis MODE              embedded (Garnet in the AppHost, default) | server (starts
                                    redis-server) | a connection string "host:port,password=..."
          --random-ports            allocate every port, the gateway's included (default 5180)
          --publisher manifest --output-path FILE
                                    write the graph as an Aspire manifest and exit
          -h, --help                show this help
        """;

    public static AppHostArguments Parse(IReadOnlyList<string> args)
    {
        var result = new AppHostArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value()
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new AppHostArgumentException($"{arg} needs a value.");
                return args[++i];
            }

            result = arg switch
            {
                "--nodes" => result with { Nodes = PositiveInt(arg, Value()) },
                "--exit-when-done" => result with { ExitWhenDone = true },
                "--output" => result with { OutputDirectory = Value() },
                "--run-config" => result with { RunConfig = ParseRunConfig(Value(), result.RunConfig) },
                "--no-run" => result with { SubmitRun = false },
                "--redis" => result with { Redis = ParseRedis(Value()) },
                "--random-ports" => result with { RandomPorts = true },
                "--publisher" => result with { Publisher = ParsePublisher(Value()) },
                "--output-path" => result with { OutputPath = Value() },
                "-h" or "--help" or "-?" => result with { ShowHelp = true },
                _ => throw new AppHostArgumentException($"Unknown option '{arg}'."),
            };
        }

        if (result.Publisher is not null && string.IsNullOrWhiteSpace(result.OutputPath))
            throw new AppHostArgumentException("--publisher manifest needs --output-path FILE (e.g. aspire-manifest.json).");
        return result;
    }

    private static int PositiveInt(string option, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= 256
            ? n
            : throw new AppHostArgumentException($"{option} '{value}' must be a whole number from 1 to 256.");

    private static Dictionary<string, string> ParseRunConfig(string text, IReadOnlyDictionary<string, string> previous)
    {
        Dictionary<string, string> parsed;
        try
        {
            parsed = RunConfiguration.ParseAssignments(text);
        }
        catch (RunConfigurationException ex)
        {
            throw new AppHostArgumentException($"--run-config: {ex.Message}");
        }
        var merged = new Dictionary<string, string>(previous);
        foreach (var (key, value) in parsed) merged[key] = value;
        return merged;
    }

    private static RedisHosting ParseRedis(string value)
    {
        try
        {
            return RedisHosting.Parse(value);
        }
        catch (ArgumentException ex)
        {
            throw new AppHostArgumentException(ex.Message);
        }
    }

    private static string ParsePublisher(string value) => value == "manifest"
        ? value
        : throw new AppHostArgumentException($"--publisher '{value}' is not known; the only publisher is 'manifest'.");
}

public sealed class AppHostArgumentException(string message) : Exception(message);
