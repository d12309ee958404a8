using Zk0.Datasets.Simulation;

namespace Zk0.Tests.Datasets.Simulation;

/// <summary>Points <see cref="SyntheticDatasets.CacheDirVariable"/> at a test directory; tests that change it run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SynthCacheEnvironment : IDisposable
{
    public const string Name = "synthetic dataset cache environment";
    private readonly string? _previous;

    public SynthCacheEnvironment() => _previous = Environment.GetEnvironmentVariable(SyntheticDatasets.CacheDirVariable);

    public SynthCacheEnvironment(string cacheDir) : this() =>
        Environment.SetEnvironmentVariable(SyntheticDatasets.CacheDirVariable, cacheDir);

    public void Dispose() => Environment.SetEnvironmentVariable(SyntheticDatasets.CacheDirVariable, _previous);
}
