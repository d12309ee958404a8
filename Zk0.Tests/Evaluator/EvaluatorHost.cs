using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Zk0.Evaluator.Checkpoints;
using Zk0.Evaluator.Evaluations;
using Zk0.Evaluator.Extensions;
using Zk0.Policy.Abstractions;
using Zk0.Tests.SuperNode;

namespace Zk0.Tests.Evaluator;

/// <summary>The Evaluator wired as Program.cs wires it, on a random port, scoring tiny held-out datasets (or those of <c>source</c>).</summary>
public static class EvaluatorHost
{
    public static async Task<WebApplication> StartAsync(Uri federationAddress, IReadOnlyList<string> datasets, string workDirectory, IPolicyDatasetSource? source = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var settings = new Dictionary<string, string?>
        {
            ["Evaluator:FederationAddress"] = federationAddress.ToString(),
            ["Evaluator:WorkDirectory"] = workDirectory,
            ["Evaluator:InitialRetryDelay"] = "00:00:00.100",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        for (var i = 0; i < datasets.Count; i++) settings[$"Evaluator:Datasets:{i}"] = datasets[i];
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddEvaluator();
        builder.Services.AddSingleton(source ?? new TinyDatasetSource());
        var app = builder.Build();
        app.MapEvaluationsApi();
        app.MapCheckpointApi();
        app.MapEvaluationVideosApi();
        await app.StartAsync();
        return app;
    }
}
