namespace Zk0.AppHost.Hosting;

/// <summary>A resource of the graph could not be started, became unavailable, or is unknown.</summary>
public sealed class DistributedApplicationException(string message, Exception? inner = null) : Exception(message, inner);
