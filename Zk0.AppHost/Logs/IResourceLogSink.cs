namespace Zk0.AppHost.Logs;

/// <summary>Receives every line a resource writes, tagged with its resource and replica instance.</summary>
public interface IResourceLogSink
{
    void Write(string resource, string instance, string line, bool isError);
}
