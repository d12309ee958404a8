using System.Net;
using System.Net.Sockets;

namespace Zk0.AppHost.Hosting;

/// <summary>
/// A layer-4 round-robin proxy from one port to the target ports of a resource's replicas, like
/// DCP's proxy: consumers see one URL whatever the replica count, and any protocol (h2c gRPC
/// included) passes through unchanged.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IReadOnlyList<int> _targets;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;
    private int _next;

    public TcpProxy(int port, IReadOnlyList<int> targetPorts)
    {
        _targets = targetPorts;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            var target = _targets[(int)((uint)Interlocked.Increment(ref _next) % (uint)_targets.Count)];
            _ = PipeAsync(inbound, target);
        }
    }

    private async Task PipeAsync(TcpClient inbound, int targetPort)
    {
        using (inbound)
        using (var outbound = new TcpClient { NoDelay = true })
        {
            try
            {
                inbound.NoDelay = true;
                await outbound.ConnectAsync(IPAddress.Loopback, targetPort, _stopping.Token).ConfigureAwait(false);
                var a = inbound.GetStream();
                var b = outbound.GetStream();
                var first = await Task.WhenAny(a.CopyToAsync(b, _stopping.Token), b.CopyToAsync(a, _stopping.Token)).ConfigureAwait(false);
                await first.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // A connection dropped by either side ends the pipe; nothing else to do.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        _stopping.Dispose();
    }
}
