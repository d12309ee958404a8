using System.Security.Cryptography;
using StackExchange.Redis;
using Zk0.AppHost.Environment;
using Zk0.AppHost.Model;
using Zk0.AppHost.Redis;

namespace Zk0.AppHost.Hosting;

/// <summary>
/// Everything decided before a process starts: each endpoint's port (what consumers see) and
/// per-replica target ports (what each process binds), instance ids, generated parameter values,
/// and so the exact environment every replica gets.
/// </summary>
public sealed class RunPlan : IRunValues
{
    private const string LowerCaseLetters = "abcdefghijklmnopqrstuvwxyz";
    private const string Alphanumerics = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private readonly Dictionary<(Resource, string), int> _ports = [];
    private readonly Dictionary<(Resource, string), int[]> _targetPorts = [];
    private readonly Dictionary<ParameterResource, string> _parameters = [];
    private readonly Dictionary<Resource, string[]> _instances = [];
    private readonly Dictionary<Resource, string[]> _suffixes = [];
    private readonly Dictionary<RedisResource, (string Host, int Port, string ConnectionString)> _redis = [];

    public RunPlan(AppModel model, RedisHosting redisHosting, OtlpSettings otlp, bool randomizePorts)
    {
        Model = model;
        Otlp = otlp;
        RedisHosting = redisHosting;

        foreach (var parameter in model.Resources.OfType<ParameterResource>())
        {
            _parameters[parameter] = parameter.Default ?? Generate(Alphanumerics, ParameterResource.GeneratedMinLength);
        }

        foreach (var resource in model.Resources)
        {
            var replicas = resource is ProjectResource p ? p.Replicas : 1;
            _suffixes[resource] = Enumerable.Range(0, replicas).Select(_ => Generate(LowerCaseLetters, 8)).ToArray();
            _instances[resource] = _suffixes[resource]
                .Select(suffix => replicas == 1 ? resource.Name : $"{resource.Name}-{suffix}")
                .ToArray();

            if (resource is RedisResource redis)
            {
                PlanRedis(redis, redisHosting);
                continue;
            }

            foreach (var endpoint in resource.Endpoints)
            {
                var port = endpoint.Port is int fixedPort && !randomizePorts ? fixedPort : PortAllocator.GetFreePort();
                _ports[(resource, endpoint.Name)] = port;
                // One replica binds the port itself (Aspire's proxy-less endpoint); several sit behind a TcpProxy on it.
                _targetPorts[(resource, endpoint.Name)] = replicas == 1
                    ? [port]
                    : Enumerable.Range(0, replicas).Select(_ => PortAllocator.GetFreePort()).ToArray();
            }
        }
    }

    public AppModel Model { get; }

    public OtlpSettings Otlp { get; }

    public RedisHosting RedisHosting { get; }

    public IReadOnlyList<string> InstancesOf(Resource resource) => _instances[resource];

    public IReadOnlyList<int> TargetPortsOf(Resource resource, string endpointName) => _targetPorts[(resource, endpointName)];

    public bool IsProxied(Resource resource) => resource is ProjectResource { Replicas: > 1 };

    public Dictionary<string, string> EnvironmentFor(ProjectResource project, int replica) =>
        ResourceEnvironment.ForReplica(
            project, replica, InstanceSuffix(project, replica),
            project.Endpoints.Select(e => _targetPorts[(project, e.Name)][replica]).ToList(),
            this, Otlp);

    public string Host(Resource resource, string endpointName) =>
        resource is RedisResource redis ? _redis[redis].Host : "localhost";

    public int Port(Resource resource, string endpointName) =>
        resource is RedisResource redis ? _redis[redis].Port : _ports[(resource, endpointName)];

    public int TargetPort(Resource resource, string endpointName) =>
        resource is RedisResource redis ? _redis[redis].Port : _targetPorts[(resource, endpointName)][0];

    public string ParameterValue(ParameterResource parameter) => _parameters[parameter];

    public string ConnectionString(RedisResource redis) => _redis[redis].ConnectionString;

    public Uri EndpointUrl(Resource resource, string endpointName)
    {
        var endpoint = resource.GetEndpoint(endpointName);
        return new Uri($"{endpoint.Scheme}://{Host(resource, endpointName)}:{Port(resource, endpointName)}");
    }

    private string InstanceSuffix(Resource resource, int replica) => _suffixes[resource][replica];

    private void PlanRedis(RedisResource redis, RedisHosting hosting)
    {
        if (hosting is RedisHosting.External external)
        {
            ConfigurationOptions options;
            try
            {
                options = ConfigurationOptions.Parse(external.ConnectionString);
            }
            catch (ArgumentException ex)
            {
                throw new DistributedApplicationException($"--redis connection string is invalid: {ex.Message}", ex);
            }
            var (host, port) = options.EndPoints.FirstOrDefault() switch
            {
                System.Net.DnsEndPoint dns => (dns.Host, dns.Port == 0 ? RedisResource.ContainerPort : dns.Port),
                System.Net.IPEndPoint ip => (ip.Address.ToString(), ip.Port == 0 ? RedisResource.ContainerPort : ip.Port),
                _ => throw new DistributedApplicationException(
                    $"--redis connection string '{external.ConnectionString}' names no host; give it as 'host:port[,password=...]'."),
            };
            _parameters[redis.Password] = options.Password ?? "";
            _redis[redis] = (host, port, external.ConnectionString);
            return;
        }

        var localPort = PortAllocator.GetFreePort();
        _redis[redis] = ("localhost", localPort, $"localhost:{localPort},password={_parameters[redis.Password]}");
    }

    private static string Generate(string alphabet, int length) =>
        string.Create(length, alphabet, (span, chars) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = chars[RandomNumberGenerator.GetInt32(chars.Length)];
        });
}
