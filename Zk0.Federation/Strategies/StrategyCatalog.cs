using Zk0.Federation.Runs;

namespace Zk0.Federation.Strategies;

/// <summary>Strategies by their run-config name ("strategy=fedavg"), built from the run's configuration.</summary>
public static class StrategyCatalog
{
    private static readonly Dictionary<string, Func<RunConfiguration, IStrategy>> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["fedavg"] = _ => new FedAvg(),
        ["fedprox"] = FedProx.FromConfig,
        ["fedavgm"] = FedAvgM.FromConfig,
        ["fedadam"] = FedAdam.FromConfig,
        ["fedyogi"] = FedYogi.FromConfig,
        ["fedadagrad"] = FedAdagrad.FromConfig,
        ["fedmedian"] = _ => new FedMedian(),
        ["fedtrimmedavg"] = FedTrimmedAvg.FromConfig,
        ["krum"] = Krum.FromConfig,
        ["multikrum"] = MultiKrum.FromConfig,
    };

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    /// <summary>The run's strategy with its parameters; throws <see cref="RunConfigurationException"/> naming a bad key.</summary>
    public static IStrategy Create(RunConfiguration config) =>
        Factories.TryGetValue(config.Strategy, out var factory)
            ? factory(config)
            : throw new RunConfigurationException(RunConfigKeys.Strategy, config.Strategy, $"one of: {string.Join(", ", Factories.Keys)}");

    /// <summary>A strategy with its default parameters.</summary>
    public static IStrategy Create(string name) =>
        Create(RunConfiguration.Parse(new Dictionary<string, string> { [RunConfigKeys.Strategy] = name }));
}
