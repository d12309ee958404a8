namespace Zk0.AppHost.Runs;

/// <summary>
/// The run the AppHost submits and follows, shown in the dashboard as a resource of its own: its
/// state is the run's (Waiting, Running, Completed, Failed, Stopped), its console log the run's
/// progress, its properties the run id and where the outputs go.
/// </summary>
public sealed class FederationRunResource(string name) : Resource(name)
{
    public const string ResourceType = "Run";
    public const string RunIdProperty = "zk0.run_id";
    public const string OutputsProperty = "zk0.outputs";
    public const string ConfigProperty = "zk0.run_config";
}
