using Zk0.Federation.Runs;

namespace Zk0.Federation.Strategies;

/// <summary>Strategies by their run-config name ("strategy=fedavg").</summary>
public static class StrategyCatalog
{
    private static readonly Dictionary<string, Func<IStrategy>> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["fedavg"] = () => new FedAvg(),
    };

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    public static IStrategy Create(string name) =>
        Factories.TryGetValue(name, out var factory)
            ? factory()
            : throw new RunConfigurationException(RunConfigKeys.Strategy, name, $"one of: {string.Join(", ", Factories.Keys)}");
}
