using System.Net;
using Zk0.AppHost.Model;

namespace Zk0.AppHost.Hosting;

/// <summary>
/// GETs a replica's health path until it answers 200, over HTTP/2 with prior knowledge for gRPC
/// (h2c) endpoints. Polls quickly at first, then backs off to Aspire's cap of 5 s.
/// </summary>
public sealed class HealthProbe : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    public async Task WaitUntilHealthyAsync(EndpointSpec endpoint, int targetPort, string path, Task<int> exited, string instance, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        var uri = new Uri($"{endpoint.Scheme}://localhost:{targetPort}{path}");
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (exited.IsCompleted)
            {
                throw new DistributedApplicationException($"'{instance}' exited with code {exited.Result} before it became healthy.");
            }
            if (await IsHealthyAsync(endpoint, uri, cancellationToken).ConfigureAwait(false)) return;
            await Task.WhenAny(exited, Task.Delay(delay, cancellationToken)).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
        }
    }

    private async Task<bool> IsHealthyAsync(EndpointSpec endpoint, Uri uri, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (endpoint.Transport == "http2")
        {
            request.Version = HttpVersion.Version20;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }
        try
        {
            using var response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public void Dispose() => _client.Dispose();
}
