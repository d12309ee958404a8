using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Spectre.Console;
using Zk0.Cli.Connection;
using Zk0.Cli.Tables;
using Zk0.Federation.Protocol;

namespace Zk0.Cli.Nodes;

/// <summary><c>zk0 node ls [--all] [--json]</c>: the nodes the SuperLink knows and the registered node keys.</summary>
public static class ListCommand
{
    public static Command Create(ServerOptions server)
    {
        var all = new Option<bool>("--all") { Description = "include nodes whose lease expired" };
        var json = new Option<bool>("--json") { Description = "print JSON for scripts instead of tables" };
        var command = new Command("ls", "List nodes and registered node keys.") { all, json };
        FederationCommand.SetAction(command, server, async (parse, connection, ct) =>
        {
            var nodes = new ListNodesReply { Nodes = { await ControlListing.AllNodesAsync(connection.Control, parse.GetValue(all), cancellationToken: ct) } };
            var keys = await connection.Control.ListNodeKeysAsync(new ListNodeKeysRequest(), cancellationToken: ct);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                var combined = new JsonObject
                {
                    ["nodes"] = JsonNode.Parse(JsonFormatter.Default.Format(nodes))?["nodes"]?.DeepClone() ?? new JsonArray(),
                    ["keys"] = JsonNode.Parse(JsonFormatter.Default.Format(keys))?["keys"]?.DeepClone() ?? new JsonArray(),
                };
                await output.WriteLineAsync(combined.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
                return 0;
            }
            var nodeTable = new Table().Title("nodes").AddColumns("node", "name", "role", "dataset", "examples", "online", "key");
            foreach (var node in nodes.Nodes.OrderBy(n => n.Role, StringComparer.Ordinal).ThenBy(n => n.DisplayName, StringComparer.Ordinal))
                nodeTable.AddRow(Markup.Escape(node.NodeId), Markup.Escape(node.DisplayName), Markup.Escape(node.Role), Markup.Escape(Short(node.DatasetId)),
                    node.NumExamples.ToString(CultureInfo.InvariantCulture), node.Online ? "yes" : "no", Markup.Escape(Short(node.KeyId)));
            SpectreTables.Write(output, nodeTable);
            var keyTable = new Table().Title("registered node keys").AddColumns("key", "name", "registered", "nodes online");
            foreach (var key in keys.Keys)
                keyTable.AddRow(Markup.Escape(key.KeyId), Markup.Escape(key.Name), Runs.Timestamps.Local(key.RegisteredUnixMs),
                    nodes.Nodes.Count(n => n.Online && n.KeyId == key.KeyId).ToString(CultureInfo.InvariantCulture));
            if (keys.Keys.Count > 0) SpectreTables.Write(output, keyTable);
            else await output.WriteLineAsync("no registered node keys (node authentication may be off)");
            return 0;
        });
        return command;
    }

    private static string Short(string id) => id.Length > 19 ? id[..19] + "…" : id.Length == 0 ? "-" : id;
}
