using System.CommandLine;
using System.Net;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Zk0.Federation.Protocol;
using Zk0.Federation.Security;

namespace Zk0.Cli.Connection;

/// <summary>
/// One gRPC channel to the gateway with the operator credential, plus an HTTP client for the gateway's HTTP routes
/// (checkpoints). TLS trust comes from <c>--ca</c> or the system roots.
/// </summary>
public sealed class FederationConnection : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly Lazy<HttpClient> _http;

    private FederationConnection(Uri server, string? caFile, string? token, bool allowInsecure, TextWriter warnings)
    {
        Server = server;
        if (PlaintextPolicy.Check(server, allowInsecure) is { } warning) warnings.WriteLine($"warning: {warning}");
        if (caFile is not null && server.Scheme != Uri.UriSchemeHttps)
            throw new CliException($"--ca {caFile} is given but {server} is plain http; the federation's CA is for its https address (https://{server.Authority}).");
        _channel = GrpcChannel.ForAddress(server, new GrpcChannelOptions
        {
            HttpHandler = ServerTrust.CreateHandler(caFile),
            MaxReceiveMessageSize = 64 * 1024 * 1024,
        });
        var invoker = _channel.CreateCallInvoker();
        if (token is not null) invoker = invoker.Intercept(OperatorCredential.Interceptor(token));
        Control = new Control.ControlClient(invoker);
        _http = new Lazy<HttpClient>(() =>
        {
            var http = new HttpClient(ServerTrust.CreateHandler(caFile))
            {
                BaseAddress = server,
                // A plaintext gateway port speaks HTTP/2 only (h2c with prior knowledge); over TLS, ALPN settles it.
                DefaultRequestVersion = HttpVersion.Version20,
                DefaultVersionPolicy = server.Scheme == Uri.UriSchemeHttp ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrLower,
                Timeout = Timeout.InfiniteTimeSpan,
            };
            if (token is not null) http.DefaultRequestHeaders.Authorization = new(OperatorCredential.Scheme, token);
            return http;
        });
    }

    public Uri Server { get; }

    public Control.ControlClient Control { get; }

    /// <summary>For the gateway's HTTP routes (checkpoints); made on first use, as only <c>run pull</c> needs it.</summary>
    public HttpClient Http => _http.Value;

    public static FederationConnection Open(ServerOptions options, ParseResult parse) =>
        new(options.ServerUri(parse), parse.GetValue(options.Ca), parse.GetValue(options.Token), parse.GetValue(options.AllowInsecure),
            parse.InvocationConfiguration.Error);

    public void Dispose()
    {
        if (_http.IsValueCreated) _http.Value.Dispose();
        _channel.Dispose();
    }
}
