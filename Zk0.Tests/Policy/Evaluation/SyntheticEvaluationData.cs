using Zk0.Datasets.Simulation;
using Zk0.Policy.Abstractions;
using Zk0.Policy.Abstractions.Data;

namespace Zk0.Tests.Policy.Evaluation;

/// <summary>
/// Real synthetic datasets as the Evaluator scores them, generated once into a private cache: a <c>synth:</c> one (it has a
/// simulator) and a second task addressed by its local path (same shapes, no simulator).
/// </summary>
public sealed class SyntheticEvaluationData : IAsyncLifetime
{
    public const string SynthUri = "synth:red-cube-to-left-bin?episodes=5";
    private readonly string _directory = Directory.CreateTempSubdirectory("zk0-closed-loop-").FullName;

    /// <summary>The green task's dataset as a plain <c>local:</c> path.</summary>
    public string LocalUri { get; private set; } = "";

    public PolicyDataOptions DataOptions => new() { SyntheticCacheDirectory = _directory };

    public IPolicyDatasetSource Source => new LeRobotPolicyDatasetSource(DataOptions);

    public async Task InitializeAsync()
    {
        await SyntheticDatasetUri.Parse(SynthUri).ResolveAsync(_directory);
        LocalUri = "local:" + await SyntheticDatasetUri.Parse("synth:green-cube-to-right-bin?episodes=5").ResolveAsync(_directory);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class SyntheticEvaluationCollection : ICollectionFixture<SyntheticEvaluationData>
{
    public const string Name = "synthetic evaluation datasets";
}
