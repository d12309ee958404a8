namespace Zk0.AppHost.Model;

/// <summary>A .NET project of this repository started as one process per replica.</summary>
public sealed class ProjectResource(string name, string projectName) : Resource(name)
{
    /// <summary>The project's name, e.g. "Zk0.SuperLink" (folder and csproj share it).</summary>
    public string ProjectName { get; } = projectName;

    public int Replicas { get; set; } = 1;

    /// <summary>Path polled for HTTP 200 before dependents start; null = healthy once running.</summary>
    public string? HealthCheckPath { get; set; }

    /// <summary>
    /// Environment that differs per replica (e.g. each SuperNode's dataset). Aspire replicas share
    /// their environment; under a real AppHost these become one resource per replica.
    /// </summary>
    public List<KeyValuePair<string, Func<int, string>>> ReplicaEnvironment { get; } = [];
}
