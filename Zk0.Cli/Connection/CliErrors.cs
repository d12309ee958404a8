using System.Net.Sockets;
using System.Security.Authentication;
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
        NodeKeyException or ServerTrustException => (error.Message, 1),
        RpcException rpc => (Rpc(rpc, server), 1),
        HttpRequestException http => (Connection(http, server), 1),
        _ => (error.Message, 1),
    };

    private static string Rpc(RpcException rpc, Uri? server)
    {
        if (rpc.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown && rpc.InnerException is { } inner)
            return Connection(inner, server);
        var detail = rpc.Status.Detail is { Length: > 0 } d ? d : rpc.StatusCode.ToString();
        return rpc.StatusCode switch
        {
            StatusCode.Unavailable => $"the federation at {server} is unavailable: {detail}. Try again shortly; if it persists, ask its admin.",
            StatusCode.Unimplemented => $"{server} does not offer this call ({detail}); is --server the federation's gateway?",
            _ => detail,
        };
    }

    private static string Connection(Exception error, Uri? server)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is AuthenticationException)
                return $"TLS with {server} failed: {e.Message} Pass the federation's CA with --ca FILE (or ZK0_CA); check the address matches its certificate.";
            if (e is SocketException socket)
                return $"cannot reach the federation at {server}: {socket.Message}. Check --server (or ZK0_SERVER) and that the gateway runs.";
        }
        var innermost = error;
        while (innermost.InnerException is not null) innermost = innermost.InnerException;
        return $"cannot talk to the federation at {server}: {innermost.Message}. Check --server (http vs https), --ca, and that the gateway runs.";
    }
}
