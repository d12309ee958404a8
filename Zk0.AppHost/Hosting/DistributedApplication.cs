using System.Collections.Concurrent;
using System.Net;
using Zk0.AppHost.Model;
using Zk0.AppHost.Redis;

namespace Zk0.AppHost.Hosting;

/// <summary>
/// The graph running locally, with Aspire.Hosting.Testing's surface:
/// <c>await using var app = await DistributedApplication.StartAsync(model, options)</c>, then
/// <see cref="WaitForResourceHealthyAsync"/>, <see cref="CreateHttpClient"/>,
/// <see cref="GetConnectionStringAsync"/>. Every resource starts as soon as the ones it waits for
/// are healthy; disposing stops them in reverse dependency order.
/// </summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    private readonly DistributedApplicationOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Resource, List<ManagedProcess>> _processes = new();
    private readonly List<IAsyncDisposable> _proxies = [];
    private readonly HealthProbe _healthProbe = new();
    private readonly Dictionary<Resource, Task> _startTasks = [];
    private GarnetHost? _garnet;
    private int _disposed;

    private DistributedApplication(RunPlan plan, DistributedApplicationOptions options)
    {
        Plan = plan;
        _options = options;
    }

    public RunPlan Plan { get; }

    public AppModel Model => Plan.Model;

    public ResourceNotificationService ResourceNotifications { get; } = new();

    /// <summary>Plans ports and environment, then starts every resource in the background (waits respected).</summary>
    public static Task<DistributedApplication> StartAsync(AppModel model, DistributedApplicationOptions options, CancellationToken cancellationToken = default)
    {
        var plan = new RunPlan(model, options.Redis, options.Otlp, options.RandomizePorts);
        var app = new DistributedApplication(plan, options);
        app.CheckFixedPortsAreFree();
        foreach (var resource in model.InStartOrder())
        {
            if (resource is ParameterResource) continue;
            app.ResourceNotifications.Publish(new(resource.Name, KnownResourceStates.NotStarted, Healthy: false));
        }
        foreach (var resource in model.InStartOrder())
        {
            if (resource is ParameterResource) continue;
            app._startTasks[resource] = Task.Run(() => app.RunResourceAsync(resource), CancellationToken.None);
        }
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(app);
    }

    public Task WaitForResourceHealthyAsync(string name, CancellationToken cancellationToken = default)
    {
        _ = Model[name];
        return ResourceNotifications.WaitForResourceHealthyAsync(name, cancellationToken);
    }

    /// <summary>Waits for every resource of the graph to be healthy; throws on the first that fails.</summary>
    public async Task WaitForAllHealthyAsync(CancellationToken cancellationToken = default)
    {
        var waits = Model.Resources.Where(r => r is not ParameterResource)
            .Select(r => ResourceNotifications.WaitForResourceHealthyAsync(r.Name, cancellationToken)).ToList();
        while (waits.Count > 0)
        {
            var done = await Task.WhenAny(waits).ConfigureAwait(false);
            await done.ConfigureAwait(false);
            waits.Remove(done);
        }
    }

    /// <summary>The URL consumers use for a resource's endpoint ("http" first, then "https" when not named).</summary>
    public Uri GetEndpoint(string name, string? endpointName = null)
    {
        var resource = Model[name];
        endpointName ??= resource.Endpoints.FirstOrDefault(e => e.Name == "http")?.Name
            ?? resource.Endpoints.FirstOrDefault(e => e.Name == "https")?.Name
            ?? throw new DistributedApplicationException($"Resource '{name}' has no http or https endpoint.");
        _ = resource.GetEndpoint(endpointName);
        return Plan.EndpointUrl(resource, endpointName);
    }

    /// <summary>An HttpClient whose BaseAddress is the resource's endpoint; h2c endpoints get HTTP/2 with prior knowledge.</summary>
    public HttpClient CreateHttpClient(string name, string? endpointName = null)
    {
        var baseAddress = GetEndpoint(name, endpointName);
        var endpoint = Model[name].Endpoints.First(e => Plan.EndpointUrl(Model[name], e.Name) == baseAddress);
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = baseAddress };
        if (endpoint.Transport == "http2")
        {
            client.DefaultRequestVersion = HttpVersion.Version20;
            client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }
        return client;
    }

    public Task<string?> GetConnectionStringAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult(Model[name] switch
        {
            RedisResource redis => Plan.ConnectionString(redis),
            ParameterResource parameter => Plan.ParameterValue(parameter),
            _ => null,
        });

    /// <summary>The environment the runner gave (or will give) a project replica.</summary>
    public IReadOnlyDictionary<string, string> GetEnvironment(string name, int replica = 0) =>
        Plan.EnvironmentFor((ProjectResource)Model[name], replica);

    private void CheckFixedPortsAreFree()
    {
        foreach (var resource in Model.Projects)
        {
            foreach (var endpoint in resource.Endpoints.Where(e => e.Port is not null && !_options.RandomizePorts))
            {
                if (!PortAllocator.IsFree(endpoint.Port!.Value))
                {
                    throw new DistributedApplicationException(
                        $"Port {endpoint.Port} of '{resource.Name}' ({endpoint.Name}) is in use. Stop what uses it " +
                        "(another AppHost?) or run with --random-ports.");
                }
            }
        }
    }

    private async Task RunResourceAsync(Resource resource)
    {
        var token = _stopping.Token;
        try
        {
            if (resource.WaitsFor.Count > 0)
            {
                ResourceNotifications.Publish(new(resource.Name, KnownResourceStates.Waiting, Healthy: false));
                await Task.WhenAll(resource.WaitsFor.Select(d => ResourceNotifications.WaitForResourceHealthyAsync(d.Name, token))).ConfigureAwait(false);
            }

            ResourceNotifications.Publish(new(resource.Name, KnownResourceStates.Starting, Healthy: false));
            switch (resource)
            {
                case RedisResource redis: await StartRedisAsync(redis, token).ConfigureAwait(false); break;
                case ProjectResource project: await StartProjectAsync(project, token).ConfigureAwait(false); break;
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            var state = ResourceNotifications.Latest(resource.Name)?.State == KnownResourceStates.Running
                ? KnownResourceStates.Exited : KnownResourceStates.FailedToStart;
            ResourceNotifications.Publish(new(resource.Name, state, Healthy: false, ex.Message));
            _options.Logs.Write(resource.Name, resource.Name, $"{state}: {ex.Message}", isError: true);
        }
    }

    private async Task StartRedisAsync(RedisResource redis, CancellationToken token)
    {
        var port = Plan.Port(redis, "tcp");
        var password = Plan.ParameterValue(redis.Password);
        switch (_options.Redis)
        {
            case RedisHosting.EmbeddedGarnet:
                _garnet = new GarnetHost(port, password);
                _options.Logs.Write(redis.Name, redis.Name, $"embedded Garnet listening on 127.0.0.1:{port}", isError: false);
                break;
            case RedisHosting.RedisServerExecutable server:
                var process = ManagedProcess.Start(redis.Name, redis.Name, server.Path,
                    ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--requirepass", password, "--save", "", "--appendonly", "no"],
                    System.Environment.CurrentDirectory, new Dictionary<string, string>(), _options.Logs);
                _processes[redis] = [process];
                WatchExit(redis, process);
                break;
        }

        ResourceNotifications.Publish(new(redis.Name, KnownResourceStates.Running, Healthy: false));
        var delay = TimeSpan.FromMilliseconds(100);
        while (!await RedisPing.IsHealthyAsync(Plan.ConnectionString(redis), token).ConfigureAwait(false))
        {
            if (ResourceNotifications.Latest(redis.Name) is { State: var s } && KnownResourceStates.IsTerminal(s)) return;
            await Task.Delay(delay, token).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
        }
        ResourceNotifications.Publish(new(redis.Name, KnownResourceStates.Running, Healthy: true));
    }

    private async Task StartProjectAsync(ProjectResource project, CancellationToken token)
    {
        var location = _options.Projects.LocateBuilt(project.ProjectName);
        var instances = Plan.InstancesOf(project);
        var processes = new List<ManagedProcess>();
        _processes[project] = processes;

        if (Plan.IsProxied(project))
        {
            foreach (var proxied in project.Endpoints)
            {
                lock (_proxies) _proxies.Add(new TcpProxy(Plan.Port(project, proxied.Name), Plan.TargetPortsOf(project, proxied.Name)));
            }
        }

        for (var replica = 0; replica < project.Replicas; replica++)
        {
            var process = ManagedProcess.Start(project.Name, instances[replica], _options.DotnetPath, [location.AssemblyPath],
                location.ProjectDirectory, Plan.EnvironmentFor(project, replica), _options.Logs);
            lock (processes) processes.Add(process);
        }
        ResourceNotifications.Publish(new(project.Name, KnownResourceStates.Running, Healthy: false));
        foreach (var process in processes) WatchExit(project, process);

        if (project.HealthCheckPath is { } path && project.Endpoints.FirstOrDefault(e => e.Scheme is "http" or "https") is { } endpoint)
        {
            var targetPorts = Plan.TargetPortsOf(project, endpoint.Name);
            await Task.WhenAll(processes.Select((process, replica) =>
                _healthProbe.WaitUntilHealthyAsync(endpoint, targetPorts[replica], path, process.Exited, process.Instance, token))).ConfigureAwait(false);
        }
        ResourceNotifications.Publish(new(project.Name, KnownResourceStates.Running, Healthy: true));
    }

    private void WatchExit(Resource resource, ManagedProcess process) =>
        _ = process.Exited.ContinueWith(exit =>
        {
            if (_stopping.IsCancellationRequested) return;
            var wasHealthy = ResourceNotifications.Latest(resource.Name)?.Healthy == true;
            var message = $"'{process.Instance}' exited with code {exit.Result}";
            ResourceNotifications.Publish(new(resource.Name,
                wasHealthy ? KnownResourceStates.Exited : KnownResourceStates.FailedToStart, Healthy: false, message));
            _options.Logs.Write(resource.Name, process.Instance, message, isError: exit.Result != 0);
        }, TaskScheduler.Default);

    /// <summary>Stops dependents before what they depend on: SIGTERM, then a process-tree kill after the stop timeout.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_startTasks.Values).ConfigureAwait(false);

        foreach (var resource in Model.InStartOrder().Reverse())
        {
            if (!_processes.TryGetValue(resource, out var processes)) continue;
            ResourceNotifications.Publish(new(resource.Name, KnownResourceStates.Stopping, Healthy: false));
            List<ManagedProcess> snapshot;
            lock (processes) snapshot = [.. processes];
            await Task.WhenAll(snapshot.Select(p => p.StopAsync(_options.StopTimeout))).ConfigureAwait(false);
            foreach (var process in snapshot) await process.DisposeAsync().ConfigureAwait(false);
            ResourceNotifications.Publish(new(resource.Name, KnownResourceStates.Finished, Healthy: false));
        }

        foreach (var proxy in _proxies) await proxy.DisposeAsync().ConfigureAwait(false);
        _garnet?.Dispose();
        _healthProbe.Dispose();
        _stopping.Dispose();
    }
}
