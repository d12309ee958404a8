using System.Security.Cryptography;
using System.Text;

namespace Zk0.Federation.Security;

/// <summary>
/// The operator credential the Control API and the federation page ask for when authentication is on: a random
/// bearer token (<c>authorization: Bearer …</c>) that the federation's admin keeps and hands to operators.
/// </summary>
public static class OperatorCredential
{
    public const string HeaderName = "authorization";
    public const string Scheme = "Bearer";

    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_').TrimEnd('=');

    /// <summary>Constant-time comparison of a presented <c>authorization</c> value with the expected token.</summary>
    public static bool Matches(string? authorizationHeader, string expectedToken)
    {
        if (authorizationHeader is null || !authorizationHeader.StartsWith(Scheme + " ", StringComparison.OrdinalIgnoreCase)) return false;
        var presented = Encoding.UTF8.GetBytes(authorizationHeader[(Scheme.Length + 1)..].Trim());
        return CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(expectedToken));
    }

    /// <summary>Adds the token to every call made through it.</summary>
    public static CallHeaderInterceptor Interceptor(string token) => new(HeaderName, $"{Scheme} {token}");
}
