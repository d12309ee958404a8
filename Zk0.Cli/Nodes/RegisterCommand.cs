using System.CommandLine;
using Zk0.Cli.Connection;
using Zk0.Federation.Protocol;
using Zk0.Federation.Security;

namespace Zk0.Cli.Nodes;

/// <summary><c>zk0 node register --public-key FILE [--name NAME]</c> (admin): the key may join from now on.</summary>
public static class RegisterCommand
{
    public static Command Create(ServerOptions server)
    {
        var publicKey = new Option<string>("--public-key") { Description = "the node.pub a node operator sent you", Required = true };
        var name = new Option<string?>("--name") { Description = "who the key belongs to (shown by `zk0 node ls`)" };
        var command = new Command("register", "Allow a node's public key to join the federation (admin).") { publicKey, name };
        FederationCommand.SetAction(command, server, async (parse, connection, ct) =>
        {
            var path = parse.GetValue(publicKey)!;
            if (!File.Exists(path)) throw new CliException($"--public-key {path} not found; the node operator creates it with `zk0 node keygen --out DIR` (DIR/node.pub).");
            var pem = await File.ReadAllTextAsync(path, ct);
            NodeKeyPair.ImportPublicKey(pem, $"--public-key {path}").Dispose();
            var reply = await connection.Control.RegisterNodeKeyAsync(new RegisterNodeKeyRequest { PublicKeyPem = pem, Name = parse.GetValue(name) ?? "" }, cancellationToken: ct);
            await parse.InvocationConfiguration.Output.WriteLineAsync(reply.Created
                ? $"registered node key {reply.Key.KeyId}{(reply.Key.Name.Length > 0 ? $" ({reply.Key.Name})" : "")}"
                : $"node key {reply.Key.KeyId} was already registered; nothing changed");
            return 0;
        });
        return command;
    }
}
