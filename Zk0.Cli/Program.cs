using System.CommandLine;

var root = new RootCommand("zk0: operate a Zk0 federation and its LeRobot datasets.");

return await root.Parse(args).InvokeAsync();
