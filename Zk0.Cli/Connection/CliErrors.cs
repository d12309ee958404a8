using Grpc.Core;
using Zk0.Federation.Security;

namespace Zk0.Cli.Connection;

/// <summary>Turns what goes wrong talking to a federation into the one line an operator reads, and an exit code.</summary>
public static class CliErrors
{
    public static (string Line, int ExitCode) Describe(Exception error, Uri? server) => error switch
    {
        CliException cli => (cli.Message, cli.ExitCode),
        Runs.CheckpointDownloadException download => (download.Message, 1),
        NodeKeyException or ServerTrustException or InsecureTransportException or TlsSetupException => (error.Message, 1),
        RpcException rpc when IsConnectionProblem(rpc) && server is not null => (ConnectionProblems.Describe(rpc, server), 1),
        RpcException rpc => (Rpc(rpc, server), 1),
        HttpRequestException when server is not null => (ConnectionProblems.Describe(error, server), 1),
        _ => (error.Message, 1),
    };

    /// <summary>The call never reached the federation (no connection, TLS refused): not a status the gateway or SuperLink chose.</summary>
    private static bool IsConnectionProblem(RpcException rpc) =>
        rpc.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown && rpc.Status.DebugException is not null;

    private static string Rpc(RpcException rpc, Uri? server)
    {
        var detail = rpc.Status.Detail is { Length: > 0 } d ? d : rpc.StatusCode.ToString();
        return rpc.StatusCode switch
        {
            StatusCode.Unavailable => $"the federation at {server} is unavailable: {detail}. Try again shortly; if it persists, ask its admin.",
            StatusCode.Unimplemented => $"{server} does not offer this call ({detail}); is --server the federation's gateway?",
            _ => detail,
        };
    }
}
