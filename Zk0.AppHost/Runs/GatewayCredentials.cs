using Grpc.Core;
using Grpc.Core.Interceptors;
using Zk0.Federation.Security;

namespace Zk0.AppHost.Runs;

/// <summary>
/// How the AppHost's run calls the gateway when authentication is on: the operator token on Control calls, and Fleet
/// calls (checkpoint downloads) signed with the AppHost's own registered key. <see cref="None"/>: the local demo.
/// </summary>
public sealed record GatewayCredentials(string? OperatorToken, string? KeyDirectory)
{
    public static readonly GatewayCredentials None = new(null, null);

    public CallInvoker ForControl(CallInvoker invoker) =>
        OperatorToken is { Length: > 0 } token ? invoker.Intercept(OperatorCredential.Interceptor(token)) : invoker;

    /// <summary>Fleet calls through <paramref name="invoker"/>, signed when there is a key; the key is the caller's to dispose.</summary>
    public (CallInvoker Invoker, NodeKeyPair? Key) ForFleet(CallInvoker invoker)
    {
        if (KeyDirectory is not { Length: > 0 } directory) return (invoker, null);
        var key = NodeKeyPair.Load(directory);
        return (invoker.Intercept(new FleetSigningInterceptor(key)), key);
    }
}
