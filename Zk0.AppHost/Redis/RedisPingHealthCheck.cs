using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Zk0.AppHost.Redis;

/// <summary>
/// Healthy when the federation's Redis answers PING. When it does not, the result says which server
/// was asked and what to do, so the console and the dashboard show the cause, not a timeout.
/// </summary>
public sealed class RedisPingHealthCheck(Func<string?> connectionString, string remedy) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (connectionString() is not { Length: > 0 } value)
            return HealthCheckResult.Unhealthy("The Redis connection string is not known yet.");

        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(value);
        }
        catch (ArgumentException ex)
        {
            return HealthCheckResult.Unhealthy($"The Redis connection string is not valid: {ex.Message} {remedy}");
        }
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = 2000;
        options.ConnectRetry = 0;
        var server = string.Join(", ", options.EndPoints.Select(Describe));
        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(cancellationToken);
            await connection.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy($"Redis at {server} answers PING.");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"Redis at {server} does not answer PING ({FirstLine(ex.Message)}). {remedy}");
        }
    }

    private static string Describe(System.Net.EndPoint endpoint) => endpoint switch
    {
        System.Net.DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endpoint.ToString() ?? "",
    };

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
