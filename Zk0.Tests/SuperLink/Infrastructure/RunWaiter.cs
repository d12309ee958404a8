using Zk0.Federation.Protocol;

namespace Zk0.Tests.SuperLink.Infrastructure;

internal static class RunWaiter
{
    /// <summary>Polls GetRun until <paramref name="done"/> holds; fails the test with the run's state after <paramref name="timeout"/>.</summary>
    public static async Task<RunDetail> WaitAsync(Func<SuperLinkTestHost> host, string runId, Func<RunDetail, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        RunDetail? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await host().Control.GetRunAsync(new GetRunRequest { RunId = runId });
                if (done(last)) return last;
            }
            catch (Grpc.Core.RpcException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Run {runId} did not reach the expected state in {timeout}: {last}");
    }

    public static Task<RunDetail> CompletedAsync(Func<SuperLinkTestHost> host, string runId, TimeSpan? timeout = null) =>
        WaitAsync(host, runId, r => r.Summary.Status is RunStatus.Completed or RunStatus.Failed or RunStatus.Stopped, timeout ?? TimeSpan.FromSeconds(60));
}
