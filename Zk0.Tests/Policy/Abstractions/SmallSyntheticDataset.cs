using Zk0.Datasets.Simulation;
using Zk0.Datasets.Writing;

namespace Zk0.Tests.Policy.Abstractions;

/// <summary>A real LeRobot dataset on disk: five small synthetic episodes with PNG frames in the parquet (fast to write and read).</summary>
public sealed class SmallSyntheticDataset : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("zk0-policy-data-").FullName;

    public string Uri { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var options = new SyntheticDatasetOptions
        {
            Simulator = SimulatorOptions.Default with { ImageWidth = 32, ImageHeight = 24 },
            Writer = new LeRobotWriterOptions { Cameras = CameraEncoding.ParquetImages },
        };
        var root = await SyntheticDatasets.GenerateAsync(SimTaskCatalog.Get("red-cube-to-left-bin"), 5, seed: 3, Path.Combine(_directory, "red"), options);
        Uri = $"local:{root}";
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
