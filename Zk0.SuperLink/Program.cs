using Microsoft.AspNetCore.Server.Kestrel.Core;
using Zk0.SuperLink.Hosting;

var builder = WebApplication.CreateBuilder(args);

// gRPC over cleartext HTTP/2 (h2c) on every endpoint, wherever appsettings.json is read from.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http2));
builder.AddServiceDefaults();
builder.AddSuperLinkServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapSuperLinkApis();

app.Run();

/// <summary>Entry point, visible to the in-process test host.</summary>
public partial class Program;
