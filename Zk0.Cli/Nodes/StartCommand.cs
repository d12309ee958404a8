using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Zk0.Cli.Connection;
using Zk0.SuperNode.Extensions;
using Zk0.SuperNode.Worker;

namespace Zk0.Cli.Nodes;

/// <summary>
/// <c>zk0 node start --dataset URI [--key DIR]</c>: a SuperNode in this process, joined to the federation at
/// <c>--server</c>, with a live status line (round, step, loss, upload). Ends with a non-zero code when the federation
/// refuses the node or its dataset cannot be used; Ctrl+C leaves.
/// </summary>
public static class StartCommand
{
    public static Command Create(ServerOptions server)
    {
        var dataset = new Option<string>("--dataset") { Description = "your recordings: local:/path, hf:owner/name (offline cache) or synth:task; they never leave this machine", Required = true };
        var key = new Option<string?>("--key") { Description = "the folder `zk0 node keygen` wrote; needed when the federation authenticates nodes" };
        var name = new Option<string?>("--name") { Description = "a display name for dashboards (default: this machine's name)" };
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };
        var work = new Option<string?>("--work-dir") { Description = "scratch space for models and updates (default: a folder in /tmp)" };
        var command = new Command("start", "Join the federation with your dataset and train when asked (Ctrl+C leaves).") { dataset, key, name, device, work };
        FederationCommand.SetAction(command, server, async (parse, connection, ct) =>
        {
            var keyDirectory = parse.GetValue(key);
            var settings = new Dictionary<string, string?>
            {
                ["SuperNode:DatasetUri"] = parse.GetValue(dataset),
                ["SuperNode:FleetAddress"] = connection.Server.ToString(),
                ["SuperNode:KeyDirectory"] = keyDirectory is null ? null : Path.GetFullPath(keyDirectory),
                ["SuperNode:CaFile"] = parse.GetValue(server.Ca) is { } ca ? Path.GetFullPath(ca) : null,
                ["SuperNode:DisplayName"] = parse.GetValue(name) ?? Environment.MachineName,
                ["SuperNode:Device"] = parse.GetValue(device),
                ["SuperNode:AllowInsecure"] = parse.GetValue(server.AllowInsecure) ? "true" : "false",
            };
            if (parse.GetValue(work) is { } directory) settings["SuperNode:WorkDirectory"] = Path.GetFullPath(directory);
            return await RunAsync(settings, parse.InvocationConfiguration.Output, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(Dictionary<string, string?> settings, TextWriter output, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(settings);
        var messages = new NodeMessages();
        builder.Logging.ClearProviders().AddProvider(messages).SetMinimumLevel(LogLevel.Warning);
        builder.AddSuperNode();
        using var host = builder.Build();
        await host.StartAsync(ct);
        var status = host.Services.GetRequiredService<NodeStatus>();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, lifetime.ApplicationStopping);
        await new NodeStatusLine(output).ShowAsync(status, messages, stop.Token);
        await host.StopAsync(CancellationToken.None);
        var final = status.Snapshot();
        if (final.State == "failed") await output.WriteLineAsync($"error: {final.LastError}");
        return status.ExitCode;
    }
}
