using Zk0.Evaluator.Checkpoints;
using Zk0.Evaluator.Evaluations;
using Zk0.Evaluator.Fleet;
using Zk0.Policy.Evaluation;
using Zk0.Evaluator.Worker;
using Zk0.Federation.Protocol;
using Zk0.Federation.Security;
using Zk0.Policy.Abstractions;
using Microsoft.Extensions.Options;
using Zk0.Policy.Abstractions.Data;

namespace Zk0.Evaluator.Extensions;

public static class Extensions
{
    /// <summary>The Evaluator's services: options, Fleet and Control gRPC clients, the scorer, the store, the worker and the checkpoint builder.</summary>
    public static IHostApplicationBuilder AddEvaluator(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EvaluatorOptions>().BindConfiguration(EvaluatorOptions.SectionName)
            .PostConfigure(o => { if (o.Datasets.Count == 0) o.Datasets.Add(EvaluatorOptions.DefaultDataset); });
        var address = FederationAddress.Resolve(builder.Configuration, builder.Configuration[$"{EvaluatorOptions.SectionName}:{nameof(EvaluatorOptions.FederationAddress)}"]);

        // Model downloads stream for longer than the standard resilience handler's 30 s (aspire-contract §1).
        var token = builder.Configuration[$"{EvaluatorOptions.SectionName}:{nameof(EvaluatorOptions.Token)}"];
        var fleet = builder.Services.AddGrpcClient<Federation.Protocol.Fleet.FleetClient>(o => o.Address = address);
        var control = builder.Services.AddGrpcClient<Control.ControlClient>(o => o.Address = address);
        foreach (var client in new[] { fleet, control })
        {
            client.RemoveAllResilienceHandlers();
            if (!string.IsNullOrEmpty(token)) client.AddInterceptor(() => EvaluatorCredential.Interceptor(token));
        }

        builder.Services.AddOptions<PolicyDataOptions>().BindConfiguration(PolicyDataOptions.SectionName);
        builder.Services.AddSingleton<IPolicyDatasetSource>(sp => new LeRobotPolicyDatasetSource(sp.GetRequiredService<IOptions<PolicyDataOptions>>().Value));
        builder.Services.AddSingleton(PolicyCatalog.Builtin());
        builder.Services.AddSingleton<HeldOutSets>();
        builder.Services.AddSingleton<ModelScorer>();
        builder.Services.AddSingleton<EvaluationStore>();
        builder.Services.AddSingleton<EvaluationVideoStore>();
        builder.Services.AddSingleton<PolicyWorkGate>();
        builder.Services.AddSingleton<EvaluationTaskRunner>();
        builder.Services.AddSingleton<CheckpointArchives>();
        builder.Services.AddHostedService<EvaluatorWorker>();
        return builder;
    }
}
