using System.Globalization;

namespace Zk0.AppHost.Graph;

/// <summary>
/// Local SuperNodes share this machine's cores: each gets an equal share of libtorch threads (at least one), since every
/// node taking all cores makes their threads spin against each other. A published graph runs nodes on machines of their
/// own and sets nothing.
/// </summary>
public static class LocalCores
{
    public static int PerNode(int nodes, int cores) => Math.Max(1, cores / Math.Max(1, nodes));

    public static IResourceBuilder<ProjectResource> WithLocalCoreShare(this IResourceBuilder<ProjectResource> node, int nodes) =>
        node.ApplicationBuilder.ExecutionContext.IsPublishMode
            ? node
            : node.WithEnvironment("SuperNode__TorchThreads", PerNode(nodes, Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture));
}
