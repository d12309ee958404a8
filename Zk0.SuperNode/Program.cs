var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSuperNode();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGet("/", (NodeStatus status) => status.Snapshot());

var status = app.Services.GetRequiredService<NodeStatus>();
app.Run();

return status.ExitCode;
