using System.CommandLine;

namespace Zk0.Cli.Server;

/// <summary>The <c>zk0 server</c> command group: setting up the federation's side.</summary>
public static class ServerCommands
{
    public static Command Create()
    {
        var group = new Command("server", "Set up the federation's side (the gateway).");
        group.Subcommands.Add(CertCommand.Create());
        return group;
    }
}
