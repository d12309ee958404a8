namespace Zk0.AppHost.Graph;

/// <summary>
/// Where a local run keeps SuperLink blobs, evaluator and node scratch space and the local Redis's append-only
/// file (so a restarted process finds them): one temporary folder per AppHost, deleted when it stops. Publishing
/// leaves these settings to the deployment, so nothing is created then.
/// </summary>
public sealed class LocalStateDirectory : IDisposable
{
    private readonly DirectoryInfo? _root;

    private LocalStateDirectory(DirectoryInfo? root) => _root = root;

    public static LocalStateDirectory For(DistributedApplicationExecutionContext context) =>
        new(context.IsRunMode ? Directory.CreateTempSubdirectory("zk0-apphost-") : null);

    public bool Exists => _root is not null;

    public string PathFor(string name) => _root is null
        ? throw new InvalidOperationException("A published graph has no local state directory.")
        : Directory.CreateDirectory(Path.Combine(_root.FullName, name)).FullName;

    public void Dispose()
    {
        try
        {
            _root?.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A process that has not exited yet may still hold a file; the folder is in /tmp.
        }
    }
}
