using Microsoft.Extensions.Options;
using Zk0.Federation.Security;

namespace Zk0.Gateway.Authentication;

/// <summary>
/// The operator credential check shared by the Control API route and the federation page: the bearer token in the
/// <c>authorization</c> header, or (for a browser) the same token in the <see cref="CookieName"/> cookie.
/// </summary>
public sealed class OperatorAccess(IOptions<GatewayAuthOptions> options)
{
    public const string CookieName = "zk0-operator";

    public bool Required => !string.IsNullOrEmpty(options.Value.OperatorToken);

    public bool Allows(HttpContext context)
    {
        if (options.Value.OperatorToken is not { Length: > 0 } token) return true;
        if (OperatorCredential.Matches(context.Request.Headers.Authorization, token)) return true;
        return context.Request.Cookies.TryGetValue(CookieName, out var cookie) && OperatorCredential.Matches($"{OperatorCredential.Scheme} {cookie}", token);
    }

    /// <summary>Whether <paramref name="token"/> is the operator credential (a browser's sign-in form).</summary>
    public bool IsToken(string? token) =>
        options.Value.OperatorToken is not { Length: > 0 } expected || (token is not null && OperatorCredential.Matches($"{OperatorCredential.Scheme} {token}", expected));
}
