using System.CommandLine;

var root = new RootCommand("zk0: operate a Zk0 federation and its LeRobot datasets.");
root.Subcommands.Add(Zk0.Cli.Dataset.DatasetCommands.Create());
root.Subcommands.Add(Zk0.Cli.Bench.BenchCommand.Create());
root.Subcommands.Add(Zk0.Cli.Compare.CompareCommand.Create());
root.Subcommands.Add(Zk0.Cli.Learn.LearnCommand.Create());
root.Subcommands.Add(Zk0.Cli.Drill.DrillCommand.Create());
root.Subcommands.Add(Zk0.Cli.Runs.RunCommands.Create());
root.Subcommands.Add(Zk0.Cli.Nodes.NodeCommands.Create());
root.Subcommands.Add(Zk0.Cli.Server.ServerCommands.Create());

return await root.Parse(args).InvokeAsync();
