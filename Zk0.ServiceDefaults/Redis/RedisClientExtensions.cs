using HealthChecks.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;
using Zk0.ServiceDefaults.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// <c>AddRedisClient</c> / <c>AddKeyedRedisClient</c> reading the configuration the
/// <c>Aspire.StackExchange.Redis</c> component reads (docs/aspire-contract.md §2.5):
/// <c>Aspire:StackExchange:Redis</c>, then <c>Aspire:StackExchange:Redis:{name}</c>, then
/// <c>ConnectionStrings:{name}</c>, then the caller's callback.
/// </summary>
public static class RedisClientExtensions
{
    public const string DefaultConfigSectionName = "Aspire:StackExchange:Redis";

    public static void AddRedisClient(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<StackExchangeRedisSettings>? configureSettings = null,
        Action<ConfigurationOptions>? configureOptions = null)
        => AddRedisClient(builder, connectionName, serviceKey: null, configureSettings, configureOptions);

    public static void AddKeyedRedisClient(
        this IHostApplicationBuilder builder,
        string name,
        Action<StackExchangeRedisSettings>? configureSettings = null,
        Action<ConfigurationOptions>? configureOptions = null)
        => AddRedisClient(builder, name, serviceKey: name, configureSettings, configureOptions);

    private static void AddRedisClient(
        IHostApplicationBuilder builder,
        string connectionName,
        string? serviceKey,
        Action<StackExchangeRedisSettings>? configureSettings,
        Action<ConfigurationOptions>? configureOptions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        var settings = ReadSettings(builder.Configuration, connectionName);
        configureSettings?.Invoke(settings);

        var options = CreateConfigurationOptions(builder.Configuration, connectionName, settings);
        configureOptions?.Invoke(options);

        IConnectionMultiplexer Connect(IServiceProvider _) => ConnectionMultiplexer.Connect(options);

        if (serviceKey is null)
        {
            builder.Services.AddSingleton(Connect);
        }
        else
        {
            builder.Services.AddKeyedSingleton(serviceKey, (sp, _) => Connect(sp));
        }

        if (!settings.DisableAutoActivation)
        {
            builder.Services.AddHostedService(sp => new RedisClientActivator(serviceKey is null
                ? sp.GetRequiredService<IConnectionMultiplexer>()
                : sp.GetRequiredKeyedService<IConnectionMultiplexer>(serviceKey)));
        }

        if (!settings.DisableHealthChecks)
        {
            var checkName = serviceKey is null ? "StackExchange.Redis" : $"StackExchange.Redis_{connectionName}";
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                checkName,
                sp => new RedisHealthCheck(serviceKey is null
                    ? sp.GetRequiredService<IConnectionMultiplexer>()
                    : sp.GetRequiredKeyedService<IConnectionMultiplexer>(serviceKey)),
                failureStatus: default,
                tags: default));
        }
    }

    internal static StackExchangeRedisSettings ReadSettings(IConfiguration configuration, string connectionName)
    {
        var settings = new StackExchangeRedisSettings();
        var section = configuration.GetSection(DefaultConfigSectionName);
        section.Bind(settings);
        section.GetSection(connectionName).Bind(settings);

        if (configuration.GetConnectionString(connectionName) is { } connectionString)
        {
            settings.ConnectionString = connectionString;
        }

        return settings;
    }

    internal static ConfigurationOptions CreateConfigurationOptions(
        IConfiguration configuration, string connectionName, StackExchangeRedisSettings settings)
    {
        if (string.IsNullOrWhiteSpace(settings.ConnectionString))
        {
            throw new InvalidOperationException(
                $"Redis client '{connectionName}' has no connection string. Set 'ConnectionStrings:{connectionName}' " +
                $"(environment variable ConnectionStrings__{connectionName}) or '{DefaultConfigSectionName}:ConnectionString', " +
                "e.g. 'localhost:6379,password=...'. Run the service through Zk0.AppHost to have it set for you.");
        }

        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(settings.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException(
                $"Redis client '{connectionName}' has an invalid connection string: {ex.Message}", ex);
        }

        // Retry while Redis is still booting instead of failing the first call for good.
        options.AbortOnConnectFail = false;

        var section = configuration.GetSection(DefaultConfigSectionName);
        section.GetSection("ConfigurationOptions").Bind(options);
        section.GetSection(connectionName).GetSection("ConfigurationOptions").Bind(options);

        if (options.EndPoints.Count == 0)
        {
            throw new InvalidOperationException(
                $"Redis client '{connectionName}' has a connection string with no endpoint. Put 'host:port' first, " +
                $"e.g. 'localhost:6379,password=...', in 'ConnectionStrings:{connectionName}'.");
        }

        return options;
    }

    private sealed class RedisClientActivator(IConnectionMultiplexer connection) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.FromResult(connection.IsConnected);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
