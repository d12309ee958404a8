using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Zk0.Policy.Abstractions;
using Zk0.SuperNode.Extensions;

namespace Zk0.Tests.SuperNode;

/// <summary>A SuperNode host wired exactly as Program.cs wires it, pointed at a test Fleet server and tiny datasets.</summary>
public static class SuperNodeHost
{
    /// <param name="settings">more configuration, e.g. <c>SuperNode:CaFile</c></param>
    public static IHost Build(Uri fleetAddress, string datasetUri, string workDirectory, string salt = "test-salt",
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SuperNode:FleetAddress"] = fleetAddress.ToString(),
            ["SuperNode:DatasetUri"] = datasetUri,
            ["SuperNode:DatasetSalt"] = salt,
            ["SuperNode:WorkDirectory"] = workDirectory,
            ["SuperNode:InitialRetryDelay"] = "00:00:00.100",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.AddSuperNode();
        builder.Services.AddSingleton<IPolicyDatasetSource, TinyDatasetSource>();
        return builder.Build();
    }
}
