var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSuperNode();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGet("/", (NodeStatus status) => status.Snapshot());

app.Run();

return app.Services.GetRequiredService<NodeStatus>().ExitCode;
