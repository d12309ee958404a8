using Grpc.Core;

namespace Zk0.Federation.Protocol;

/// <summary>
/// Whether a call failed because the other end went away (restarting, unreachable, killed in the middle of a stream)
/// rather than answering: such a call is worth repeating. A stream that a dying SuperLink cuts short reaches its client
/// through the gateway as Cancelled (YARP resets the stream with CANCEL) and directly as Internal; no connection at all
/// is Unavailable; an HTTP error in place of a gRPC answer (a proxy's 500) is Unknown. A handler that threw is Unknown too,
/// and is retried along with them: telling the two apart would mean trusting the text of the status.
/// </summary>
public static class ConnectionLoss
{
    /// <param name="caller">The call's own token: a call this side cancelled was not lost.</param>
    public static bool Is(RpcException error, CancellationToken caller) =>
        !caller.IsCancellationRequested && error.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Cancelled or StatusCode.Unknown;
}
