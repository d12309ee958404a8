using System.CommandLine;

namespace Zk0.Cli.Connection;

/// <summary>
/// The options every verb that talks to a federation takes (on <c>zk0 run …</c> and <c>zk0 node …</c>): where the
/// gateway is, the CA a private federation's certificate is checked against, and the operator credential.
/// </summary>
public sealed class ServerOptions
{
    public const string DefaultServer = "http://localhost:5180";

    public Option<string> Server { get; } = new("--server")
    {
        Description = $"the federation's gateway (default: ZK0_SERVER, else {DefaultServer})",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ZK0_SERVER") is { Length: > 0 } env ? env : DefaultServer,
        Recursive = true,
    };

    public Option<string?> Ca { get; } = new("--ca")
    {
        Description = "CA certificate the gateway's certificate must chain to (default: ZK0_CA); `zk0 server cert` wrote it",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ZK0_CA") is { Length: > 0 } env ? env : null,
        Recursive = true,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = "the operator credential, when the federation asks for one (default: ZK0_TOKEN)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ZK0_TOKEN") is { Length: > 0 } env ? env : null,
        Recursive = true,
    };

    public Option<bool> AllowInsecure { get; } = new("--allow-insecure")
    {
        Description = "allow plain h2c (no TLS) to another machine: unencrypted, for trusted networks only",
        Recursive = true,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Server);
        command.Options.Add(Ca);
        command.Options.Add(Token);
        command.Options.Add(AllowInsecure);
    }

    /// <summary>The server address, checked: an absolute http or https URL.</summary>
    public Uri ServerUri(ParseResult parse)
    {
        var text = parse.GetValue(Server) ?? DefaultServer;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new CliException($"--server '{text}' is not a gateway address such as https://federation.example.org:5180 (or set ZK0_SERVER).");
        return uri;
    }
}
