using System.CommandLine;
using Zk0.Federation.Security;

namespace Zk0.Cli.Nodes;

/// <summary><c>zk0 node keygen --out DIR</c>: the node's ECDSA P-256 key pair; node.pub goes to the federation's admin.</summary>
public static class KeygenCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "folder for node.key (private, stays here) and node.pub (give it to the admin)", Required = true };
        var command = new Command("keygen", "Create this node's key pair.") { output };
        command.SetAction(async parse =>
        {
            var directory = Path.GetFullPath(parse.GetValue(output)!);
            try
            {
                using var key = NodeKeyPair.Generate();
                key.Save(directory);
                var writer = parse.InvocationConfiguration.Output;
                await writer.WriteLineAsync($"node key {key.KeyId}");
                await writer.WriteLineAsync($"  private: {Path.Combine(directory, NodeKeyPair.PrivateKeyFileName)} (keep it here; readable by you only)");
                await writer.WriteLineAsync($"  public:  {Path.Combine(directory, NodeKeyPair.PublicKeyFileName)}");
                await writer.WriteLineAsync($"Give node.pub to the federation's admin (`zk0 node register --public-key node.pub`), then: zk0 node start --dataset URI --key {directory}");
                return 0;
            }
            catch (Exception e) when (e is NodeKeyException or IOException or UnauthorizedAccessException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
