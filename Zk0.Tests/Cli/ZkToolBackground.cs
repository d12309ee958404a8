using System.Diagnostics;
using System.Text;
using Zk0.Tests.Cli.Bench.Federation;

namespace Zk0.Tests.Cli;

/// <summary>A long-running zk0 command (<c>zk0 node start</c>) as a child process: its output collected, killed when disposed.</summary>
public sealed class ZkToolBackground : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ZkToolBackground(Process process) => _process = process;

    public static ZkToolBackground Start(params string[] args)
    {
        var tool = new ZkToolBackground(new Process { StartInfo = ZkToolProcess.StartInfo(args) });
        tool._process.OutputDataReceived += (_, e) => tool.Append(e.Data);
        tool._process.ErrorDataReceived += (_, e) => tool.Append(e.Data);
        tool._process.Start();
        tool._process.BeginOutputReadLine();
        tool._process.BeginErrorReadLine();
        return tool;
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public async Task<int> WaitForExitAsync(CancellationToken ct)
    {
        await _process.WaitForExitAsync(ct);
        return _process.ExitCode;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
