using Grpc.Core;
using Microsoft.Extensions.Options;
using Zk0.Federation.Security;
using Zk0.SuperLink.Rounds;
using Zk0.SuperLink.State;

namespace Zk0.SuperLink.Hosting;

/// <summary>
/// Who a call comes from, as far as <see cref="SuperLinkAuthOptions"/> asks: the node key the gateway verified
/// (<see cref="FleetRequestSignature.VerifiedKeyIdHeader"/>) and the Evaluator's token (<see cref="EvaluatorCredential.HeaderName"/>).
/// </summary>
public sealed class CallerIdentity(IOptions<SuperLinkOptions> options)
{
    public const string OnlyTheEvaluator = "Only the federation's Evaluator may record evaluations.";

    private SuperLinkAuthOptions Auth => options.Value.Auth;

    /// <summary>Whether calls naming a node are checked against it at all (a Heartbeat then reads the node's record first).</summary>
    public bool ChecksNodes => Auth.NodeAuthentication || Auth.EvaluatorToken is { Length: > 0 };

    /// <summary>The key id a registering node is recorded with; refuses a trainer without a verified key when node authentication is on.</summary>
    public string KeyForRegistration(string role, ServerCallContext context)
    {
        var keyId = VerifiedKeyId(context);
        if (role == NodeRoles.Evaluator)
        {
            RequireEvaluator(context, "Only the federation's Evaluator may register as the evaluator.");
            return keyId;
        }
        if (Auth.NodeAuthentication && keyId.Length == 0)
            throw Errors.PermissionDenied("RegisterNode came without a verified node key, but this SuperLink requires node authentication " +
                "(SuperLink:Auth:NodeAuthentication): nodes register through the gateway (with Gateway:Auth:NodeAuthentication on), signing their calls with a registered key.");
        return keyId;
    }

    /// <summary>Refuses a call for <paramref name="node"/> made with another key than the one it registered with (one node acting as another).</summary>
    public void RequireSameNode(NodeRecord node, ServerCallContext context)
    {
        if (node.Role == NodeRoles.Evaluator) RequireEvaluator(context, $"Node '{node.NodeId}' is the Evaluator; only the Evaluator may call for it.");
        if (!Auth.NodeAuthentication) return;
        var keyId = VerifiedKeyId(context);
        if (!string.Equals(keyId, node.KeyId, StringComparison.Ordinal))
            throw Errors.PermissionDenied(keyId.Length == 0 && node.Role != NodeRoles.Evaluator
                ? $"Node '{node.NodeId}' was registered with node key {node.KeyId}, but this call came without a verified key: call through the gateway, signing with that key."
                : $"Node '{node.NodeId}' was registered with another key than {(keyId.Length == 0 ? "none" : keyId)}: a node calls only for the node id it registered itself.");
    }

    /// <summary>Refuses a caller without the Evaluator's token when <see cref="SuperLinkAuthOptions.EvaluatorToken"/> is set.</summary>
    public void RequireEvaluator(ServerCallContext context, string refusal = OnlyTheEvaluator)
    {
        if (Auth.EvaluatorToken is not { Length: > 0 } expected) return;
        if (!EvaluatorCredential.Matches(context.RequestHeaders.GetValue(EvaluatorCredential.HeaderName), expected))
            throw Errors.PermissionDenied(refusal);
    }

    private static string VerifiedKeyId(ServerCallContext context) => context.RequestHeaders.GetValue(FleetRequestSignature.VerifiedKeyIdHeader) ?? "";
}
