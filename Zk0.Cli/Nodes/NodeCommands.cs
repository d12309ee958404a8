using System.CommandLine;
using Zk0.Cli.Connection;

namespace Zk0.Cli.Nodes;

/// <summary><c>zk0 node …</c>: a node operator's start and keygen; the admin's register, ls and unregister.</summary>
public static class NodeCommands
{
    public static Command Create()
    {
        var server = new ServerOptions();
        var command = new Command("node", "Join a federation with your dataset, or manage which node keys may join (admin).")
        {
            StartCommand.Create(server),
            KeygenCommand.Create(),
            RegisterCommand.Create(server),
            ListCommand.Create(server),
            UnregisterCommand.Create(server),
        };
        server.AddTo(command);
        return command;
    }
}
