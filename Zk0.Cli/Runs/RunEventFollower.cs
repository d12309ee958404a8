using System.Runtime.CompilerServices;
using Grpc.Core;
using Zk0.Cli.Connection;
using Zk0.Federation.Protocol;

namespace Zk0.Cli.Runs;

/// <summary>
/// A run's events through the Control API, from the first: with <c>follow</c> until the run ends, reconnecting after
/// where it left off when the gateway or SuperLink restarts; without, only those recorded so far.
/// </summary>
public static class RunEventFollower
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(3);

    public static async IAsyncEnumerable<RunEvent> ReadAsync(Control.ControlClient control, string runId, bool follow, Action<string> onInterrupted,
        [EnumeratorCancellation] CancellationToken ct)
    {
        long after = 0;
        DateTime? failingSince = null;
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            using var call = control.StreamRunEvents(new StreamRunEventsRequest { RunId = runId, AfterSequence = after, RecordedOnly = !follow }, cancellationToken: ct);
            while (true)
            {
                bool received;
                try
                {
                    received = await call.ResponseStream.MoveNext(ct);
                }
                catch (RpcException e) when (follow && ConnectionLoss.Is(e, ct))
                {
                    failingSince ??= DateTime.UtcNow;
                    if (DateTime.UtcNow - failingSince > GiveUpAfter)
                        throw new CliException($"lost run {runId}'s event stream for {GiveUpAfter.TotalMinutes:F0} minutes ({e.Status.Detail}); `zk0 run show {runId}` tells how it went.", 4);
                    onInterrupted($"event stream interrupted ({e.Status.Detail}); reconnecting in {delay.TotalSeconds:F0} s");
                    break;
                }
                if (!received) yield break;
                var current = call.ResponseStream.Current;
                after = current.Sequence;
                failingSince = null;
                delay = TimeSpan.FromSeconds(1);
                yield return current;
                if (current.Terminal) yield break;
            }
            await Task.Delay(delay, ct);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
        }
    }
}
