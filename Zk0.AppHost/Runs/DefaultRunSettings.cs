namespace Zk0.AppHost.Runs;

/// <summary>The run the AppHost submits (config already validated), where its outputs go, and whether to submit it at start.</summary>
public sealed record DefaultRunSettings(IReadOnlyDictionary<string, string> Config, string OutputDirectory, bool SubmitOnStart);
