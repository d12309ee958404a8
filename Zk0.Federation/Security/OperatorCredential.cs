using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;

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
    public static Interceptor Interceptor(string token) => new BearerInterceptor(token);

    private sealed class BearerInterceptor(string token) : Interceptor
    {
        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
            continuation(request, WithToken(context));

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
            continuation(request, WithToken(context));

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation) =>
            continuation(WithToken(context));

        private ClientInterceptorContext<TRequest, TResponse> WithToken<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
            where TRequest : class where TResponse : class
        {
            var headers = new Metadata();
            if (context.Options.Headers is { } existing)
                foreach (var entry in existing) headers.Add(entry);
            headers.Add(HeaderName, $"{Scheme} {token}");
            return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(headers));
        }
    }
}
