using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Zk0.Tests.Cli.Runs;

/// <summary>An HTTP server in-process that answers the gateway's <c>/evaluator/runs/{id}/checkpoint</c> as a test scripts it.</summary>
public sealed class ScriptedGateway : IAsyncDisposable
{
    private WebApplication _app = null!;
    private int _requests;

    /// <summary>What every checkpoint request gets.</summary>
    public Func<HttpContext, Task> Answer { get; set; } = context => Task.CompletedTask;

    public int Requests => _requests;

    public Uri Address => new(_app.Urls.First());

    public static async Task<ScriptedGateway> StartAsync()
    {
        var gateway = new ScriptedGateway();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        gateway._app = builder.Build();
        gateway._app.MapGet("/evaluator/runs/{runId}/checkpoint", context =>
        {
            Interlocked.Increment(ref gateway._requests);
            return gateway.Answer(context);
        });
        await gateway._app.StartAsync();
        return gateway;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
