using Zk0.AppHost.Environment;
using Zk0.AppHost.Logs;
using Zk0.AppHost.Redis;

namespace Zk0.AppHost.Hosting;

/// <summary>How the local runner starts the graph.</summary>
public sealed class DistributedApplicationOptions
{
    public RedisHosting Redis { get; init; } = RedisHosting.Embedded;

    /// <summary>Allocate every port, fixed ones included (Aspire.Hosting.Testing's <c>RandomizePorts</c>).</summary>
    public bool RandomizePorts { get; init; }

    public OtlpSettings Otlp { get; init; } = OtlpSettings.None;

    public required IResourceLogSink Logs { get; init; }

    public ProjectLocator Projects { get; init; } = ProjectLocator.FromAppHostAssembly();

    /// <summary>The muxer that runs each project's dll; the one running the AppHost by default.</summary>
    public string DotnetPath { get; init; } = DefaultDotnetPath();

    /// <summary>How long a process gets to exit after SIGTERM before its tree is killed.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    private static string DefaultDotnetPath()
    {
        if (System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath)) return hostPath;
        var processPath = System.Environment.ProcessPath;
        return processPath is not null && Path.GetFileNameWithoutExtension(processPath) == "dotnet" ? processPath : "dotnet";
    }
}
