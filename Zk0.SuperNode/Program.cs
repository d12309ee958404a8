using Zk0.SuperNode.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
try
{
    builder.AddSuperNode();
}
catch (Exception problem) when (SettingsProblem.Is(problem))
{
    Console.Error.WriteLine($"zk0 supernode: {problem.Message}");
    return 2;
}

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGet("/", (NodeStatus status) => status.Snapshot());

var status = app.Services.GetRequiredService<NodeStatus>();
app.Run();

return status.ExitCode;
