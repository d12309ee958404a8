using Microsoft.Extensions.Options;
using Zk0.Federation.Security;
using Zk0.SuperLink.State;

namespace Zk0.SuperLink.Hosting;

/// <summary>
/// Registers the public keys of <see cref="SuperLinkAuthOptions.NodeKeysDirectory"/> at start. Hosted services start
/// before the server listens, so the nodes they belong to find them registered on their first call.
/// </summary>
public sealed class NodeKeysFromDirectory(NodeKeyRegistry registry, IOptions<SuperLinkOptions> options, ILogger<NodeKeysFromDirectory> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Auth.NodeKeysDirectory is not { Length: > 0 } directory) return;
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"SuperLink:Auth:NodeKeysDirectory {directory} does not exist: point it at a folder of node.pub files, or leave it empty.");
        foreach (var file in Directory.EnumerateFiles(directory, "*.pub").Order(StringComparer.Ordinal))
        {
            string keyId, pem;
            try
            {
                using var key = NodeKeyPair.ImportPublicKey(await File.ReadAllTextAsync(file, cancellationToken), file);
                (keyId, pem) = (NodeKeyId.Of(key), key.ExportSubjectPublicKeyInfoPem());
            }
            catch (NodeKeyException e)
            {
                throw new InvalidOperationException($"SuperLink:Auth:NodeKeysDirectory: {e.Message}", e);
            }
            var (_, created) = await registry.RegisterAsync(keyId, pem, Path.GetFileNameWithoutExtension(file));
            if (created) logger.LogInformation("Node key {KeyId} registered from {File}", keyId, file);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
