using Zk0.AppHost;
using Zk0.AppHost.Authentication;
using Zk0.AppHost.CommandLine;
using Zk0.AppHost.Graph;
using Zk0.AppHost.Redis;
using Zk0.AppHost.Runs;
using Zk0.AppHost.Supervision;
using Zk0.AppHost.Tls;
using Zk0.Federation.Security;

if (AppHostArguments.TryParse(args, out var options) is { } exitCode) return exitCode;

var builder = DistributedApplication.CreateBuilder([.. options.AspireArguments]);
if (options.RandomPorts) builder.Configuration["DcpPublisher:RandomizePorts"] = "true";
using var state = LocalStateDirectory.For(builder.ExecutionContext);
TlsFiles? tls;
try
{
    tls = options.TlsDirectory is { } tlsDirectory ? LocalTls.Prepare(tlsDirectory, line => Console.WriteLine($"zk0 apphost: {line}")) : null;
}
catch (Exception ex) when (ex is TlsSetupException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"zk0 apphost: --tls: {ex.Message}");
    return 1;
}

var redis = builder.AddFederationRedis(options.Redis, options.RedisPersistence, state);
var auth = FederationAuth.Configure(builder, options.Auth, state, options.Nodes, new AppHostConsole().Say);

var superlink = builder.AddProject<Projects.Zk0_SuperLink>("superlink")
    .WithReference(redis)
    .WaitFor(redis)
    .WithLocalState(state, "SuperLink__Blobs__Directory", "superlink-blobs")
    .WithSuperLinkAuth(auth)
    .WithHttpHealthCheck("/health");

var datasets = Enumerable.Range(0, options.Nodes).Select(builder.AddDatasetParameter).ToList();

var evaluator = builder.AddProject<Projects.Zk0_Evaluator>("evaluator")
    .WithReference(superlink)
    .WaitFor(superlink)
    .WithHeldOutDatasets(datasets, options.EvalDatasets)
    .WithUnseenDatasets([.. Enumerable.Range(0, options.Nodes).Select(i => NodeDatasets.Configured(builder.Configuration, i))])
    .WithLocalState(state, "Evaluator__WorkDirectory", "evaluator")
    .WithEvaluatorAuth(auth)
    .WithHttpHealthCheck("/health");

var gateway = builder.AddProject<Projects.Zk0_Gateway>("gateway")
    .WithReference(superlink)
    .WithReference(evaluator)
    .WithReference(redis) // the node key registry and the nonces it has seen
    .WaitFor(superlink)
    .WithGatewayAuth(auth)
    .WithExternalHttpEndpoints()
    .WithTls(tls)
    .WithHttpHealthCheck("/health");

for (var i = 0; i < datasets.Count; i++)
{
    builder.AddProject<Projects.Zk0_SuperNode>($"supernode-{i}")
        .WithEndpoint("http", endpoint => endpoint.Port = null) // one port each, chosen by Aspire
        .WithReference(gateway)
        .WithGatewayTrust(gateway, tls)
        .WaitFor(gateway)
        .WithEnvironment("SuperNode__DatasetUri", datasets[i])
        .WithEnvironment("SuperNode__DisplayName", NodeDatasets.DisplayName(i))
        .WithLocalCoreShare(datasets.Count)
        .WithLocalState(state, "SuperNode__WorkDirectory", $"supernode-{i}")
        .WithNodeAuth(auth, i)
        .WithHttpHealthCheck("/health");
}

builder.AddGraphReport(new FederationGraph(gateway.GetEndpoint("grpc"), gateway.GetEndpoint(tls is null ? "http" : "grpc"), datasets, options.ExitWhenDone, tls?.CaCertificate));
builder.AddSupervision();
builder.AddFederationRun(new DefaultRunSettings(options.DefaultRunConfig, options.OutputDirectory, options.SubmitRun), superlink,
    auth?.RunCredentials ?? GatewayCredentials.None);

if (FixedPorts.FindTaken(builder) is { Count: > 0 } taken)
{
    foreach (var problem in taken) Console.Error.WriteLine($"zk0 apphost: {problem}");
    return 1;
}

await using var app = builder.Build();
await app.RunAsync();
return app.Services.GetService<AppHostExit>()?.Code ?? 0;
