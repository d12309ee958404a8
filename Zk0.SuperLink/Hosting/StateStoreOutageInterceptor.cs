using Grpc.Core;
using Grpc.Core.Interceptors;
using StackExchange.Redis;

namespace Zk0.SuperLink.Hosting;

/// <summary>
/// A call that fails because Redis is unreachable (restarting, say) is answered Unavailable, which nodes and tools retry,
/// instead of gRPC's Unknown "Exception was thrown by handler", which a node takes for a failed task.
/// </summary>
public sealed class StateStoreOutageInterceptor(ILogger<StateStoreOutageInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try { return await continuation(request, context); }
        catch (Exception e) when (IsOutage(e)) { throw Unavailable(context, e); }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try { return await continuation(requestStream, context); }
        catch (Exception e) when (IsOutage(e)) { throw Unavailable(context, e); }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try { await continuation(request, responseStream, context); }
        catch (Exception e) when (IsOutage(e)) { throw Unavailable(context, e); }
    }

    private static bool IsOutage(Exception e) => e is RedisConnectionException or RedisTimeoutException;

    private RpcException Unavailable(ServerCallContext context, Exception e)
    {
        logger.LogWarning("{Method}: the state store (Redis) is unreachable: {Reason}", context.Method, e.Message);
        return new RpcException(new Status(StatusCode.Unavailable,
            "The SuperLink cannot reach its state store (Redis) right now; retry the call in a few seconds."));
    }
}
