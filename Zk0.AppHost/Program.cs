using Spectre.Console;
using Zk0.AppHost;
using Zk0.AppHost.CommandLine;
using Zk0.AppHost.Environment;
using Zk0.AppHost.Hosting;
using Zk0.AppHost.Logs;
using Zk0.AppHost.Manifest;
using Zk0.AppHost.Runs;

AppHostArguments options;
try
{
    options = AppHostArguments.Parse(args);
}
catch (AppHostArgumentException ex)
{
    Console.Error.WriteLine($"zk0 apphost: {ex.Message}");
    Console.Error.WriteLine(AppHostArguments.Usage);
    return 2;
}
if (options.ShowHelp)
{
    Console.WriteLine(AppHostArguments.Usage);
    return 0;
}

var projects = ProjectLocator.FromAppHostAssembly();

if (options.Publisher == "manifest")
{
    ManifestWriter.Write(AppGraph.Declare(options.Nodes), options.OutputPath!, project => projects.Locate(project.ProjectName).ProjectFile);
    Console.WriteLine($"Wrote the Aspire manifest to {Path.GetFullPath(options.OutputPath!)}");
    return 0;
}

// One line per log line: never wrap at the terminal width (output is often redirected to a file).
var console = AnsiConsole.Console;
console.Profile.Width = int.MaxValue / 2;
void Say(string line) => console.MarkupLine($"[bold]{Markup.Escape("[apphost]")}[/] {Markup.Escape(line)}");

// Blobs and node scratch space of this local run; Redis state is in memory and goes with it.
var stateDirectory = Directory.CreateTempSubdirectory("zk0-apphost-");
using var cleanup = new DeleteOnDispose(stateDirectory);
var model = AppGraph.Declare(options.Nodes, stateDirectory: stateDirectory.FullName);

using var shutdown = new ShutdownSignal();
var started = System.Diagnostics.Stopwatch.StartNew();
await using var app = await DistributedApplication.StartAsync(model, new DistributedApplicationOptions
{
    Redis = options.Redis,
    RandomizePorts = options.RandomPorts,
    Otlp = OtlpSettings.FromEnvironment(Environment.GetEnvironmentVariable),
    Logs = new ConsoleLogSink(console),
    Projects = projects,
}, shutdown.Token);

try
{
    await app.WaitForAllHealthyAsync(shutdown.Token);
}
catch (DistributedApplicationException ex)
{
    Say($"the graph did not start: {ex.Message}");
    return 1;
}
catch (OperationCanceledException)
{
    return 130;
}

var gateway = app.GetEndpoint("gateway");
Say($"graph healthy in {started.Elapsed.TotalSeconds:F1} s; {options.Nodes} node(s); gateway {gateway}");

if (options.SubmitRun)
{
    var config = DefaultRun.Config(options.Nodes, options.RunConfig);
    try
    {
        using var driver = new RunDriver(gateway, NodeDatasets.ForNodes(options.Nodes), Say);
        var outcome = await driver.RunAsync(config, options.OutputDirectory, shutdown.Token);
        Say($"run {outcome.RunId} {MetricsFile.StatusName(outcome.Status)} after {started.Elapsed.TotalSeconds:F1} s{(outcome.Message is null ? "" : $": {outcome.Message}")}");
        if (options.ExitWhenDone) return outcome.Completed ? 0 : 1;
    }
    catch (OperationCanceledException) when (shutdown.Token.IsCancellationRequested)
    {
        return 130;
    }
    catch (Exception ex) when (ex is Grpc.Core.RpcException or Zk0.Federation.Runs.RunConfigurationException)
    {
        Say($"the run could not be completed: {ex.Message}");
        if (options.ExitWhenDone) return 1;
    }
}
else if (options.ExitWhenDone)
{
    return 0;
}

Say("press Ctrl+C to stop the graph");
await shutdown.WaitAsync();
return 0;
