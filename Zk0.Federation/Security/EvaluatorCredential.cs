using System.Security.Cryptography;
using System.Text;
using Grpc.Core.Interceptors;

namespace Zk0.Federation.Security;

/// <summary>
/// The Evaluator's identity towards the SuperLink: a token (random per federation start) the Evaluator sends in
/// <see cref="HeaderName"/> on every call; only a caller presenting it may register as the evaluator and record evaluations.
/// </summary>
public static class EvaluatorCredential
{
    public const string HeaderName = "zk0-evaluator-token";

    /// <summary>Constant-time comparison of a presented token with the expected one.</summary>
    public static bool Matches(string? presented, string expected) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));

    /// <summary>Adds the token to every call made through it.</summary>
    public static Interceptor Interceptor(string token) => new CallHeaderInterceptor(HeaderName, token);
}
