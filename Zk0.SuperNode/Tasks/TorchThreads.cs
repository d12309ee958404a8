using System.Globalization;

namespace Zk0.SuperNode.Tasks;

/// <summary>Sets libtorch's thread count for this process from <c>SuperNode:TorchThreads</c> (absent or 0: libtorch's default).</summary>
public static class TorchThreads
{
    public static void Apply(string? setting)
    {
        if (string.IsNullOrWhiteSpace(setting)) return;
        if (!int.TryParse(setting, NumberStyles.Integer, CultureInfo.InvariantCulture, out var threads) || threads < 0)
            throw new InvalidOperationException($"SuperNode:TorchThreads is '{setting}': give the number of CPU threads training may use (0: one per core).");
        if (threads > 0) TorchSharp.torch.set_num_threads(threads);
    }
}
