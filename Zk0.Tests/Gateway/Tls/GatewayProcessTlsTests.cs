using System.Diagnostics;
using Zk0.Tests.Federation.Security;

namespace Zk0.Tests.Gateway.Tls;

/// <summary>The built gateway as a process: a TLS setting it cannot use ends it with one line, not a stack trace.</summary>
public sealed class GatewayProcessTlsTests
{
    [Fact]
    public async Task AMissingCertificateFileEndsTheGatewayWithOneLineNamingIt()
    {
        using var folder = new TlsTestFolder(withCertificates: false);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(new Projects.Zk0_Gateway().ProjectPath)!,
        };
        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "Zk0.Gateway.dll"),
                     $"--Gateway:Tls:CertificateFile={folder.Files.ServerCertificate}", $"--Gateway:Tls:KeyFile={folder.Files.ServerKey}"])
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }

        Assert.Equal(2, process.ExitCode);
        Assert.Equal($"zk0 gateway: Gateway:Tls:CertificateFile {folder.Files.ServerCertificate} not found: " +
                     "make them with `zk0 server cert --out DIR` (server.crt, server.key) or point the option to your PEM files.",
            (await error).Trim());
        Assert.Equal("", (await output).Trim());
    }
}
