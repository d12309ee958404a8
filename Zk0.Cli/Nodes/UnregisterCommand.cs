using System.CommandLine;
using Zk0.Cli.Connection;
using Zk0.Federation.Protocol;

namespace Zk0.Cli.Nodes;

/// <summary><c>zk0 node unregister KEY-ID</c> (admin): the key may no longer join; its nodes lose their lease.</summary>
public static class UnregisterCommand
{
    public static Command Create(ServerOptions server)
    {
        var keyId = new Argument<string>("key-id") { Description = "the registered key's id (sha256:…, `zk0 node ls` lists them)" };
        var command = new Command("unregister", "Remove a node key; nodes using it are refused from then on (admin).") { keyId };
        FederationCommand.SetAction(command, server, async (parse, connection, ct) =>
        {
            var id = parse.GetValue(keyId)!;
            var reply = await connection.Control.UnregisterNodeKeyAsync(new UnregisterNodeKeyRequest { KeyId = id }, cancellationToken: ct);
            await parse.InvocationConfiguration.Output.WriteLineAsync(reply.NodeIds.Count == 0
                ? $"unregistered node key {id}"
                : $"unregistered node key {id}; nodes {string.Join(", ", reply.NodeIds)} lost their lease");
            return 0;
        });
        return command;
    }
}
