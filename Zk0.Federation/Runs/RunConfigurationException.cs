namespace Zk0.Federation.Runs;

/// <summary>A run configuration value is invalid; the message names the key, the value and what is expected.</summary>
public sealed class RunConfigurationException(string key, string value, string expected)
    : ArgumentException($"Run configuration '{key}={value}' is invalid: expected {expected}.")
{
    public string Key { get; } = key;
}
