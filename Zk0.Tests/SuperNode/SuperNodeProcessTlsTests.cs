using System.Diagnostics;

namespace Zk0.Tests.SuperNode;

/// <summary>The built SuperNode as a process: plain h2c to another machine ends it with one line saying what to do.</summary>
public sealed class SuperNodeProcessTlsTests
{
    [Fact]
    public async Task PlainH2cToAnotherMachineEndsTheNodeWithOneLine()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(new Projects.Zk0_SuperNode().ProjectPath)!,
        };
        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "Zk0.SuperNode.dll"), "--SuperNode:FleetAddress=http://fl.example.org:5180"])
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
        Assert.Equal("zk0 supernode: http://fl.example.org:5180/ is plain h2c (no TLS), which is for loopback development only. " +
                     "Use https://fl.example.org:5180 with the federation's CA (SuperNode:CaFile), or pass SuperNode:AllowInsecure=true to send unencrypted traffic anyway.",
            (await error).Trim());
        Assert.Equal("", (await output).Trim());
    }
}
