using System.Globalization;
using Zk0.AppHost.Redis;
using Zk0.AppHost.Runs;
using Zk0.Federation.Runs;
using RunConfiguration = Zk0.Federation.Runs.RunConfiguration;

namespace Zk0.AppHost.CommandLine;

/// <summary>
/// What <c>dotnet run --project Zk0.AppHost -- ...</c> was asked to do. Zk0's own flags are read here;
/// Aspire's (<c>--publisher</c>, <c>--output-path</c>, ...) and configuration overrides
/// (<c>--Parameters:supernode-0-dataset=...</c>) are left to Aspire.
/// </summary>
public sealed record AppHostArguments
{
    public int Nodes { get; init; } = 4;

    public bool ExitWhenDone { get; init; }

    public string OutputDirectory { get; init; } = "outputs";

    public IReadOnlyDictionary<string, string> RunConfig { get; init; } = new Dictionary<string, string>();

    public bool SubmitRun { get; init; } = true;

    public RedisMode Redis { get; init; } = RedisMode.Embedded;

    public bool RandomPorts { get; init; }

    /// <summary>
    /// The folder with the gateway's server.crt and server.key (made there with a new CA when missing), or null for
    /// plain h2c on loopback.
    /// </summary>
    public string? TlsDirectory { get; init; }

    public const string DefaultTlsDirectory = ".zk0/tls";

    /// <summary>Whether a local Garnet or redis-server keeps an append-only file, so a restarted one has the federation's state.</summary>
    public bool RedisPersistence { get; init; } = true;

    /// <summary>
    /// Node authentication, the operator credential and the Evaluator's identity (<c>--auth</c>); always on in a
    /// published manifest, off by default for the local demo.
    /// </summary>
    public bool Auth { get; init; }

    /// <summary>The Evaluator's held-out datasets (--eval-datasets); empty: the local nodes' datasets, or the built-in tasks without nodes.</summary>
    public IReadOnlyList<string> EvalDatasets { get; init; } = [];

    /// <summary>"manifest" when Aspire is asked to write the manifest instead of running.</summary>
    public string? Publisher { get; init; }

    public bool ShowHelp { get; init; }

    /// <summary>
    /// The arguments that are Aspire's (its options and configuration overrides), for <c>CreateBuilder</c>. Zk0's
    /// switches stay out: .NET's command-line configuration would take the argument after <c>--no-run</c> as its value.
    /// </summary>
    public IReadOnlyList<string> AspireArguments { get; private init; } = [];

    public const string Usage = """
        Usage: dotnet run --project Zk0.AppHost -- [options]

        Starts a local Zk0 federation under Aspire (Redis, SuperLink, Evaluator, Gateway, N SuperNodes and
        the dashboard), submits a run through the gateway's Control API and prints its progress.

          --nodes N                 SuperNodes, node i on synthetic task i (default 4); each dataset is the
                                    parameter supernode-<i>-dataset (--Parameters:supernode-0-dataset=local:/data);
                                    0: the federation's side only (no run is submitted then)
          --run-config "k=v ..."    run settings: num-server-rounds, local-steps, batch-size,
                                    fraction-train, min-train-nodes, seed, strategy, ...
          --output DIR              where <run-id>/ gets run.json, metrics.json, charts/ and
                                    checkpoints/ (default ./outputs; checkpoint-interval=N rounds)
          --exit-when-done          stop the graph when the run ends; exit 0 if it completed
          --no-run                  start the graph only (submit runs with the zk0 CLI or the dashboard)
          --redis MODE              embedded (Garnet, default) | server (starts redis-server) |
                                    a connection string "host:port,password=..."
          --no-redis-persistence    a local Garnet or redis-server keeps no append-only file: a restart of
                                    it loses every run (default: AOF, fsync every second)
          --random-ports            let Aspire choose every port, the gateway's included (default 5180)
          --eval-datasets URIS      the Evaluator's held-out datasets, comma-separated (default: the local nodes'
                                    datasets; with --nodes 0 the built-in synthetic tasks 0-3)
          --auth                    node authentication and credentials: only registered node keys may join,
                                    the Control API needs the operator token (kept in .zk0/operator-token;
                                    export ZK0_TOKEN=$(cat .zk0/operator-token)), only the Evaluator records
                                    evaluations; local nodes get keys of their own. Always on when publishing
          --tls [DIR]               the gateway serves HTTPS with DIR/server.crt and DIR/server.key (default
                                    DIR .zk0/tls; made there with a new CA when missing); local nodes and the
                                    run verify it against DIR/ca.crt, other nodes and the zk0 CLI pass --ca DIR/ca.crt.
                                    Without it the gateway serves plain h2c, for loopback development only
          --publisher manifest --output-path FILE
                                    write the graph as an Aspire manifest and exit
          -h, --help                show this help
        """;

    /// <summary>Aspire's own command-line options that take a value.</summary>
    private static readonly HashSet<string> AspireOptions = new(StringComparer.OrdinalIgnoreCase)
    {
        "--output-path", "--operation", "--step", "--environment", "--log-level",
    };

    /// <summary>The run the AppHost submits: its defaults with <c>--run-config</c> on top, validated at parse time.</summary>
    public IReadOnlyDictionary<string, string> DefaultRunConfig { get; private init; } = new Dictionary<string, string>();

    /// <summary>
    /// Parses <paramref name="args"/>; on a mistake or <c>--help</c> prints what to do and returns the
    /// exit code to end with (2 for a mistake, 0 for help), otherwise null.
    /// </summary>
    public static int? TryParse(IReadOnlyList<string> args, out AppHostArguments options)
    {
        options = new AppHostArguments();
        try
        {
            options = Parse(args);
        }
        catch (AppHostArgumentException ex)
        {
            Console.Error.WriteLine($"zk0 apphost: {ex.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }
        if (!options.ShowHelp) return null;
        Console.WriteLine(Usage);
        return 0;
    }

    public static AppHostArguments Parse(IReadOnlyList<string> args)
    {
        var result = new AppHostArguments();
        var aspire = new List<string>();
        string? outputPath = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value()
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new AppHostArgumentException($"{arg} needs a value.");
                return args[++i];
            }

            string? OptionalValue() => i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;

            if (AspireOptions.Contains(arg))
            {
                var value = Value();
                if (arg.Equals("--output-path", StringComparison.OrdinalIgnoreCase)) outputPath = value;
                aspire.AddRange([arg, value]);
                continue;
            }
            if (IsConfigurationOverride(arg))
            {
                aspire.Add(arg);
                if (!arg.Contains('=') && i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) aspire.Add(args[++i]);
                continue;
            }

            result = arg switch
            {
                "--nodes" => result with { Nodes = NodeCount(arg, Value()) },
                "--exit-when-done" => result with { ExitWhenDone = true },
                "--output" => result with { OutputDirectory = Value() },
                "--run-config" => result with { RunConfig = ParseRunConfig(Value(), result.RunConfig) },
                "--no-run" => result with { SubmitRun = false },
                "--redis" => result with { Redis = ParseRedis(Value()) },
                "--random-ports" => result with { RandomPorts = true },
                "--auth" => result with { Auth = true },
                "--eval-datasets" => result with { EvalDatasets = ParseDatasetList(arg, Value()) },
                "--tls" => result with { TlsDirectory = OptionalValue() ?? DefaultTlsDirectory },
                "--no-redis-persistence" => result with { RedisPersistence = false },
                "--publisher" => result with { Publisher = ParsePublisher(Value()) },
                "-h" or "--help" or "-?" => result with { ShowHelp = true },
                _ => throw new AppHostArgumentException($"Unknown option '{arg}'."),
            };
        }

        if (result.Publisher is not null && string.IsNullOrWhiteSpace(outputPath))
            throw new AppHostArgumentException("--publisher manifest needs --output-path FILE (e.g. aspire-manifest.json).");
        if (result.Publisher is null && result.Redis is RedisMode.LocalRedisServer server && server.FindProblem() is { } problem)
            throw new AppHostArgumentException(problem);
        if (result.Publisher is not null && result.TlsDirectory is not null)
            throw new AppHostArgumentException("--tls is for running the graph here; a deployed gateway gets its certificate from Gateway__Tls__CertificateFile and Gateway__Tls__KeyFile (zk0 server cert makes them).");
        if (result.Publisher is not null) aspire.AddRange(["--publisher", result.Publisher]);
        // A published federation faces the internet; with no local node there is no run of its own to submit.
        if (result.Publisher is not null) result = result with { Auth = true };
        if (result.Nodes == 0) result = result with { SubmitRun = false };
        try
        {
            return result with { DefaultRunConfig = DefaultRun.Config(result.Nodes, result.RunConfig), AspireArguments = aspire };
        }
        catch (ArgumentException ex)
        {
            throw new AppHostArgumentException($"--run-config: {ex.Message}");
        }
    }

    /// <summary>A configuration key such as <c>--Parameters:supernode-0-dataset=...</c> or <c>--DcpPublisher:RandomizePorts true</c>.</summary>
    private static bool IsConfigurationOverride(string arg) =>
        arg.StartsWith("--", StringComparison.Ordinal) && (arg.Contains(':') || arg.Contains('='));

    private static int NodeCount(string option, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 && n <= 64
            ? n
            : throw new AppHostArgumentException($"{option} '{value}' must be a whole number from 0 (no local node) to 64.");

    private static IReadOnlyList<string> ParseDatasetList(string option, string value)
    {
        var uris = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return uris.Length > 0 ? uris : throw new AppHostArgumentException($"{option} needs dataset URIs separated by commas (synth:task, local:/path, hf:owner/name).");
    }

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

    private static RedisMode ParseRedis(string value)
    {
        try
        {
            return RedisMode.Parse(value);
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
