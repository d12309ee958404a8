using System.CommandLine;
using Zk0.Federation.Security;

namespace Zk0.Cli.Server;

/// <summary>
/// <c>zk0 server cert</c>: a private federation's CA and the gateway's server certificate as PEM files. An existing CA
/// in the folder signs a new server certificate (new host names, a renewal); <c>--force</c> makes a new CA.
/// </summary>
internal static class CertCommand
{
    public const string DefaultDirectory = ".zk0/tls";

    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder for ca.crt, ca.key, server.crt and server.key.", DefaultValueFactory = _ => DefaultDirectory };
        var hosts = new Option<string[]>("--host")
        {
            Description = "A name or IP address nodes use to reach the gateway, besides localhost, 127.0.0.1, ::1 and this machine's name (repeatable).",
            AllowMultipleArgumentsPerToken = false,
        };
        var force = new Option<bool>("--force") { Description = "Replace an existing CA (every node and CLI then needs the new ca.crt)." };
        var command = new Command("cert", "Make a self-signed CA and the gateway's TLS certificate for a private federation (PEM files).") { output, hosts, force };
        command.SetAction(async parse =>
        {
            try
            {
                var files = new TlsFiles(Path.GetFullPath(parse.GetValue(output)!));
                var written = TlsCertificateWriter.Write(files, parse.GetValue(hosts) ?? [], parse.GetValue(force));
                await parse.InvocationConfiguration.Output.WriteAsync(Report(written));
                return 0;
            }
            catch (Exception e) when (e is TlsSetupException or IOException or UnauthorizedAccessException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    public static string Report(TlsCertificatesWritten written)
    {
        var f = written.Files;
        var ca = written.CaCreated
            ? $"created the CA {f.CaCertificate} (its key {f.CaKey} signs server certificates: keep it private)"
            : $"kept the existing CA {f.CaCertificate}: nodes and CLIs that have it need nothing new (--force makes a new one)";
        return $"""
            wrote {f.ServerCertificate} and {f.ServerKey} for {string.Join(", ", written.Hosts)} (valid until {written.ServerNotAfter:yyyy-MM-dd})
            {ca}
            gateway: Gateway__Tls__CertificateFile={f.ServerCertificate} Gateway__Tls__KeyFile={f.ServerKey}
                     (or start the local graph with: dotnet run --project Zk0.AppHost -- --tls {f.Directory})
            nodes:   SuperNode__FleetAddress=https://HOST:5180 SuperNode__CaFile={f.CaCertificate}
            CLI:     --ca {f.CaCertificate} with https://HOST:5180 (HOST: one of the names above)

            """;
    }
}
