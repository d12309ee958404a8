namespace Zk0.AppHost.Graph;

/// <summary>
/// The AppHost's exit code: 0 unless a run it was asked to wait for (<c>--exit-when-done</c>) did not
/// complete or the graph could not start; set once, by whoever stops the application.
/// </summary>
public sealed class AppHostExit(IHostApplicationLifetime lifetime)
{
    private int? _code;

    public int Code => _code ?? 0;

    public void StopWith(int code)
    {
        _code ??= code;
        lifetime.StopApplication();
    }
}
