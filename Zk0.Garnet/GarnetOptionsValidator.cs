using System.Net;
using Microsoft.Extensions.Options;

namespace Zk0.Garnet;

/// <summary>Rejects settings Garnet would fail on later with a less helpful message.</summary>
public sealed class GarnetOptionsValidator : IValidateOptions<GarnetOptions>
{
    public ValidateOptionsResult Validate(string? name, GarnetOptions options)
    {
        var failures = new List<string>();
        if (options.Port is < 1 or > 65535)
            failures.Add($"Garnet:Port {options.Port} is not a TCP port; give 1-65535 (environment variable Garnet__Port).");
        if (!IPAddress.TryParse(options.Bind, out var address))
            failures.Add($"Garnet:Bind '{options.Bind}' is not an IP address; give one such as 127.0.0.1.");
        else if (string.IsNullOrEmpty(options.Password) && !IPAddress.IsLoopback(address))
            failures.Add($"Garnet:Bind {options.Bind} is not loopback and Garnet:Password is empty; set a password before listening beyond this machine.");
        if (options.Persistence && string.IsNullOrWhiteSpace(options.DataDirectory))
            failures.Add("Garnet:Persistence is on but Garnet:DataDirectory is empty; give the folder its append-only file is kept in (environment variable Garnet__DataDirectory).");
        if (options.CommitIntervalMs < 0)
            failures.Add($"Garnet:CommitIntervalMs {options.CommitIntervalMs} is negative; give the milliseconds between commits of the append-only file (0: every write).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
