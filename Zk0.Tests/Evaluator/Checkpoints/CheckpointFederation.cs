using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Zk0.Federation.Protocol;
using Zk0.Tests.Policy.BehaviourCloning;
using Zk0.Tests.SuperNode;

namespace Zk0.Tests.Evaluator.Checkpoints;

/// <summary>
/// An Evaluator (wired as Program.cs wires it, held-out dataset <c>tiny:a</c>) against in-process Fleet and Control
/// servers that know three behaviour-cloning runs: <see cref="Completed"/> (rounds 1 and 2 committed),
/// <see cref="Partial"/> (round 1 committed, round 2 under way, 3 rounds) and <see cref="Fresh"/> (nothing committed).
/// </summary>
public sealed class CheckpointFederation : IAsyncDisposable
{
    public const string Completed = "run-completed";
    public const string Partial = "run-partial";
    public const string Fresh = "run-fresh";
    public static readonly IReadOnlyDictionary<string, string> RunConfig = new Dictionary<string, string> { ["policy"] = "bc", ["seed"] = "5", ["num-server-rounds"] = "2" };

    private readonly ScriptedRuns _runs = new();

    private CheckpointFederation(string directory) => Directory = directory;

    public string Directory { get; }
    public ScriptedFleet Fleet { get; private set; } = null!;
    public WebApplication Evaluator { get; private set; } = null!;
    public Uri EvaluatorAddress => new(Evaluator.Urls.First());
    public string WorkDirectory => Path.Combine(Directory, "work");

    /// <summary>The models the runs committed, by round, as the blob files they were uploaded from.</summary>
    public Dictionary<(string RunId, int Round), (string Hash, string Path)> Models { get; } = [];

    public static async Task<CheckpointFederation> StartAsync()
    {
        var federation = new CheckpointFederation(System.IO.Directory.CreateTempSubdirectory("zk0-checkpoint-federation-").FullName);
        federation.Fleet = await ScriptedFleet.StartAsync(s => s.AddSingleton(federation._runs), app => app.MapGrpcService<ScriptedRuns>());
        federation.AddRun(Completed, RunStatus.Completed, rounds: 2, committed: 2, modelSeed: 11);
        federation.AddRun(Partial, RunStatus.Running, rounds: 3, committed: 1, modelSeed: 21);
        federation.AddRun(Fresh, RunStatus.Running, rounds: 3, committed: 0, modelSeed: 31);
        federation.Evaluator = await EvaluatorHost.StartAsync(federation.Fleet.Address, ["tiny:a"], federation.WorkDirectory);
        return federation;
    }

    /// <param name="policyType">the run config's policy (default <c>bc</c>); the models are behaviour-cloning ones whatever it says</param>
    public void AddRun(string runId, RunStatus status, int rounds, int committed, long modelSeed, string policyType = "bc")
    {
        var config = new Dictionary<string, string>(RunConfig)
        {
            ["num-server-rounds"] = rounds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["policy"] = policyType,
        };
        var run = new RunDetail { Summary = new RunSummary { RunId = runId, Status = status, NumServerRounds = rounds, CompletedRounds = committed, Config = { config } } };
        for (var round = 1; round <= committed; round++)
        {
            var path = Path.Combine(Directory, $"{runId}-{round}.safetensors");
            using (var policy = TinyPolicyData.CreatePolicy(modelSeed + round)) policy.ExportTrainable(path);
            var hash = Fleet.AddBlob(File.ReadAllBytes(path));
            Models[(runId, round)] = (hash, path);
            run.Rounds.Add(new RoundRecord { Round = round, ModelHash = hash });
            run.Summary.GlobalModelHash = hash;
        }
        // A round under way has a record but no committed model yet.
        if (committed < rounds && status == RunStatus.Running) run.Rounds.Add(new RoundRecord { Round = committed + 1 });
        _runs.Runs[runId] = run;
    }

    public async ValueTask DisposeAsync()
    {
        await Evaluator.StopAsync();
        await Evaluator.DisposeAsync();
        await Fleet.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
