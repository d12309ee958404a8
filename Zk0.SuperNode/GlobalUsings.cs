global using Zk0.SuperNode.Extensions;
global using Zk0.SuperNode.Worker;
