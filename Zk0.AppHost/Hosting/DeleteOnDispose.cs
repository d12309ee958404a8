namespace Zk0.AppHost.Hosting;

/// <summary>Deletes a scratch directory when the run ends.</summary>
public sealed class DeleteOnDispose(DirectoryInfo directory) : IDisposable
{
    public void Dispose()
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a process may still hold a file; the OS cleans temp folders.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
