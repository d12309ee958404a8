using Zk0.SuperLink.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSuperLinkServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapSuperLinkApis();

app.Run();

/// <summary>Entry point, visible to the in-process test host.</summary>
public partial class Program;
