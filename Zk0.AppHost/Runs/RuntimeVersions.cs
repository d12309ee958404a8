using System.Reflection;
using System.Runtime.InteropServices;

namespace Zk0.AppHost.Runs;

/// <summary>What produced a run's outputs: zk0's version and commit, .NET, TorchSharp, libtorch and the OS.</summary>
public sealed record RuntimeVersions(string Zk0, string GitCommit, string DotNet, string TorchSharp, string LibTorch, string Os)
{
    public static RuntimeVersions Current()
    {
        var assembly = typeof(RuntimeVersions).Assembly;
        var commit = assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "Zk0.GitCommit")?.Value ?? "";
        return new RuntimeVersions(
            InformationalVersion(assembly),
            commit.Trim(),
            RuntimeInformation.FrameworkDescription,
            InformationalVersion(typeof(global::TorchSharp.torch).Assembly),
            global::TorchSharp.torch.__version__,
            $"{RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})");
    }

    private static string InformationalVersion(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? assembly.GetName().Version?.ToString() ?? "";
}
