using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Zk0.Federation.Security;

namespace Zk0.Gateway.Authentication;

/// <summary>
/// Lets through to the proxy only what <see cref="GatewayAuthOptions"/> allows: signed Fleet calls from registered node
/// keys (then tagged with <see cref="FleetRequestSignature.VerifiedKeyIdHeader"/>), and Control calls and the Evaluator's
/// HTTP API with the operator credential. Everything else is answered here (an UNAUTHENTICATED gRPC call, or 401) and
/// never reaches the SuperLink or the Evaluator.
/// </summary>
public sealed class GatewayAuthMiddleware(RequestDelegate next, IOptions<GatewayAuthOptions> options, OperatorAccess operators)
{
    // Routes match paths case-insensitively, so these checks do too: a differently cased path must not slip past them.
    public const string FleetPathPrefix = "/zk0.federation.v1.Fleet/";
    public const string ControlPathPrefix = "/zk0.federation.v1.Control/";
    public const string EvaluatorPathPrefix = "/evaluator/";

    public const string OperatorCredentialMissing =
        "The Control API needs the operator credential: pass --token TOKEN or set ZK0_TOKEN (the admin has it).";

    public const string OperatorCredentialWrong =
        "The operator token given is not this federation's: check --token or ZK0_TOKEN (the admin has it; the AppHost keeps it in .zk0/operator-token).";

    public const string EvaluatorCredentialMissing =
        "The Evaluator's API (evaluations, checkpoints) needs the operator credential: pass --token TOKEN or set ZK0_TOKEN (the admin has it).";

    public async Task InvokeAsync(HttpContext context)
    {
        // Only the gateway may say which key a call was verified with.
        context.Request.Headers.Remove(FleetRequestSignature.VerifiedKeyIdHeader);
        var path = context.Request.Path.Value ?? "";
        if (options.Value.NodeAuthentication && path.StartsWith(FleetPathPrefix, StringComparison.OrdinalIgnoreCase))
        {
            FleetCallVerdict verdict;
            try
            {
                verdict = await context.RequestServices.GetRequiredService<FleetCallVerifier>().VerifyAsync(path, context.Request.Headers);
            }
            catch (Exception e) when (e is RedisException or RedisTimeoutException)
            {
                // UNAVAILABLE: nodes retry it, as they do when the SuperLink itself is briefly away.
                await GrpcRefusal.WriteAsync(context, GrpcRefusal.Unavailable,
                    $"The gateway cannot check node keys right now: the federation's Redis is unreachable ({e.Message}). Retry shortly.");
                return;
            }
            if (verdict.Refusal is { } refusal)
            {
                await GrpcRefusal.WriteAsync(context, GrpcRefusal.Unauthenticated, refusal);
                return;
            }
            context.Request.Headers[FleetRequestSignature.VerifiedKeyIdHeader] = verdict.KeyId;
        }
        else if (path.StartsWith(ControlPathPrefix, StringComparison.OrdinalIgnoreCase) && !operators.Allows(context))
        {
            await GrpcRefusal.WriteAsync(context, GrpcRefusal.Unauthenticated,
                context.Request.Headers.Authorization.Count > 0 ? OperatorCredentialWrong : OperatorCredentialMissing);
            return;
        }
        else if (path.StartsWith(EvaluatorPathPrefix, StringComparison.OrdinalIgnoreCase) && !operators.Allows(context))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = OperatorCredential.Scheme;
            await context.Response.WriteAsync(EvaluatorCredentialMissing);
            return;
        }
        await next(context);
    }
}
