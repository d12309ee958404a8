using Zk0.Evaluator.Checkpoints;
using Zk0.Evaluator.Evaluations;
using Zk0.Evaluator.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddEvaluator();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapEvaluationsApi();
app.MapCheckpointApi();
app.MapEvaluationVideosApi();

app.Run();
