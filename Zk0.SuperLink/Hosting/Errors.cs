using Grpc.Core;

namespace Zk0.SuperLink.Hosting;

/// <summary>gRPC errors with messages that name the thing and say what to do.</summary>
internal static class Errors
{
    public static RpcException InvalidArgument(string message) => new(new Status(StatusCode.InvalidArgument, message));
    public static RpcException NotFound(string message) => new(new Status(StatusCode.NotFound, message));
    public static RpcException FailedPrecondition(string message) => new(new Status(StatusCode.FailedPrecondition, message));
    public static RpcException PermissionDenied(string message) => new(new Status(StatusCode.PermissionDenied, message));
    public static RpcException ResourceExhausted(string message) => new(new Status(StatusCode.ResourceExhausted, message));

    public static RpcException UnknownNode(string nodeId) =>
        NotFound($"Node '{InputChecks.Quote(nodeId)}' is not registered with this SuperLink: call RegisterNode and use the node_id it returns.");

    public static RpcException UnknownRun(string runId) =>
        NotFound($"Run '{InputChecks.Quote(runId)}' does not exist on this federation; `zk0 run ls` (Control.ListRuns) lists its runs.");
}
