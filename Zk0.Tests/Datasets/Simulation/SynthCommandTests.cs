using System.CommandLine;
using Zk0.Cli.Dataset;
using Zk0.Datasets.Simulation;

namespace Zk0.Tests.Datasets.Simulation;

public sealed class SynthCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"zk0-synth-cli-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task SynthWritesTheRequestedEpisodesIntoTheOutputDirectory()
    {
        var output = Path.Combine(_dir, "green");

        var (exit, stdout, stderr) = await RunAsync("dataset", "synth", "--task", "green-cube-to-right-bin", "--episodes", "1",
            "--out", output, "--seed", "4", "--width", "48", "--height", "32", "--cameras", "front,wrist", "--fps", "15", "--images-in-parquet");

        Assert.True(exit == 0, stderr);
        Assert.Contains("Wrote 1 episodes", stdout);
        var info = await File.ReadAllTextAsync(Path.Combine(output, "meta", "info.json"));
        Assert.Contains("observation.images.front", info);
        Assert.DoesNotContain("observation.images.top", info);
        Assert.Contains("\"fps\": 15", info);
    }

    [Fact]
    public async Task UnknownCameraIsReportedWithTheKnownOnes()
    {
        var (exit, _, stderr) = await RunAsync("dataset", "synth", "--task", "red-cube-to-left-bin", "--episodes", "1", "--out", Path.Combine(_dir, "c"), "--cameras", "top,ceiling");

        Assert.Equal(1, exit);
        Assert.Contains("'ceiling'", stderr);
        Assert.Contains("wrist", stderr);
        Assert.False(Directory.Exists(Path.Combine(_dir, "c")));
    }

    [Fact]
    public async Task UnknownTaskExitsWithAnErrorListingEveryTask()
    {
        var (exit, _, stderr) = await RunAsync("dataset", "synth", "--task", "pink-elephant", "--episodes", "1", "--out", Path.Combine(_dir, "x"));

        Assert.Equal(2, exit);
        Assert.Contains("unknown task 'pink-elephant'", stderr);
        foreach (var task in SimTaskCatalog.All) Assert.Contains(task.Name, stderr);
        Assert.False(Directory.Exists(Path.Combine(_dir, "x")));
    }

    [Fact]
    public async Task ANonEmptyOutputDirectoryIsRefusedAndLeftAsItWas()
    {
        Directory.CreateDirectory(_dir);
        var precious = Path.Combine(_dir, "precious.txt");
        await File.WriteAllTextAsync(precious, "keep me");

        var (exit, _, stderr) = await RunAsync("dataset", "synth", "--task", "red-cube-to-left-bin", "--episodes", "1", "--out", _dir, "--images-in-parquet");

        Assert.Equal(1, exit);
        Assert.Contains(_dir, stderr);
        Assert.Equal("keep me", await File.ReadAllTextAsync(precious));
        Assert.Single(Directory.EnumerateFileSystemEntries(_dir));
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var root = new RootCommand { DatasetCommands.Create() };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
