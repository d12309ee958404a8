using Microsoft.Extensions.DependencyInjection;
using Zk0.Federation.Protocol;
using Zk0.SuperLink.Hosting;
using Zk0.SuperLink.Rounds;
using Zk0.SuperLink.State;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.SuperLink.BadInput;

/// <summary>
/// A federation of honest nodes (two trainers, one evaluator) and a run of theirs kept in progress while bad input is
/// thrown at the SuperLink: round 1 is committed and its evaluation held back. An undisturbed run with the same config
/// ran first. Every test ends with <see cref="AssertUnharmedAsync"/>; the last of them, whichever it is, lets the run
/// go on and checks that it ends with exactly the undisturbed run's model.
/// </summary>
public class RunAlongside : IAsyncLifetime
{
    public const string RunConfig = "num-server-rounds=2 eval-timeout-seconds=300 node-wait-timeout-seconds=120";
    private readonly GarnetFixture _redis = new();
    private volatile bool _evaluationsHeld;
    private TestNode _evaluator = null!;
    private int _testsLeft;

    public FederationScenario Scenario { get; private set; } = null!;
    public Zk0.Federation.Protocol.Fleet.FleetClient Fleet => Scenario.Host.Fleet;
    public Zk0.Federation.Protocol.Control.ControlClient Control => Scenario.Host.Control;
    public ILinkState State => Scenario.Host.Services.GetRequiredService<ILinkState>();
    public SuperLinkOptions Options => Scenario.Host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SuperLinkOptions>>().Value;

    /// <summary>The finished undisturbed run.</summary>
    public RunDetail Reference { get; private set; } = null!;
    /// <summary>The run in progress alongside the bad input.</summary>
    public string RunId { get; private set; } = "";
    /// <summary>The model round 1 of <see cref="RunId"/> committed.</summary>
    public string Round1Model { get; private set; } = "";

    protected virtual void Configure(SuperLinkOptions options) { }

    /// <summary>The tests sharing this run: those of the bad-input collection.</summary>
    protected virtual int CountTests() => typeof(RunAlongside).Assembly.GetTypes()
        .Where(t => t.GetCustomAttributesData().Any(a => a.AttributeType == typeof(CollectionAttribute) && Equals(a.ConstructorArguments[0].Value, BadInputCollection.Name)))
        .Sum(CountTests);

    protected static int CountTests(Type testClass) => testClass.GetMethods().Count(m => m.IsDefined(typeof(FactAttribute), inherit: true));

    public async Task InitializeAsync()
    {
        _testsLeft = CountTests();
        await _redis.InitializeAsync();
        Scenario = await FederationScenario.StartAsync(_redis, services => services.Configure<SuperLinkOptions>(Configure));
        _evaluator = Scenario.AddEvaluator();
        _evaluator.Active = () => !_evaluationsHeld;
        // No long poll: a pull already held when the evaluator is paused would still take the next evaluate task.
        _evaluator.PullWait = TimeSpan.Zero;
        await Scenario.StartAsync(Scenario.AddTrainer("ds-a", 1, 100), Scenario.AddTrainer("ds-b", 3, 300), _evaluator);
        Reference = await RunWaiter.CompletedAsync(() => Scenario.Host, await Scenario.SubmitAsync(RunConfig), TimeSpan.FromSeconds(60));
        Assert.Equal(RunStatus.Completed, Reference.Summary.Status);

        _evaluationsHeld = true;
        RunId = await Scenario.SubmitAsync(RunConfig);
        var parked = await RunWaiter.WaitAsync(() => Scenario.Host, RunId, r => r.Rounds.Count == 1 && r.Rounds[0].ModelHash.Length > 0, TimeSpan.FromSeconds(60));
        Round1Model = parked.Rounds[0].ModelHash;
        Assert.Equal(Reference.Rounds[0].ModelHash, Round1Model);
    }

    /// <summary>
    /// The run alongside is as an undisturbed one would be at this point: parked at round 1 with the reference's model.
    /// Called by the last test, it then lets the run finish and compares it with the reference.
    /// </summary>
    public async Task AssertUnharmedAsync()
    {
        var run = await Control.GetRunAsync(new GetRunRequest { RunId = RunId });
        Assert.Equal(RunStatus.Running, run.Summary.Status);
        var round = Assert.Single(run.Rounds);
        Assert.Equal(Reference.Rounds[0].ModelHash, round.ModelHash);
        Assert.Null(round.Eval);
        Assert.Empty(round.MissingNodes);
        Assert.DoesNotContain(await State.ReadEventsAsync(RunId, 0), e => e.Kind is RunEvents.ResultRejected or RunEvents.EvaluationRecorded);
        if (Interlocked.Decrement(ref _testsLeft) == 0) await AssertFinishesUndisturbedAsync();
    }

    /// <summary>Lets the evaluator go on; the run completes with the reference's rounds and model, each round evaluated once by the honest evaluator.</summary>
    private async Task AssertFinishesUndisturbedAsync()
    {
        _evaluationsHeld = false;
        var run = await RunWaiter.CompletedAsync(() => Scenario.Host, RunId, TimeSpan.FromSeconds(60));
        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        Assert.Equal(Reference.Summary.GlobalModelHash, run.Summary.GlobalModelHash);
        Assert.Equal(Reference.Rounds.Select(r => r.ModelHash), run.Rounds.Select(r => r.ModelHash));
        // Only the honest trainers were selected, and every one of them reported.
        Assert.All(run.Rounds, r => Assert.Empty(r.MissingNodes));
        Assert.Equal(Reference.Rounds.Select(r => r.Train.Count), run.Rounds.Select(r => r.Train.Count));
        Assert.All(run.Rounds, r => Assert.Equal(Reference.Rounds[r.Round - 1].Eval.Loss, r.Eval.Loss));
        var evaluations = (await State.ReadEventsAsync(RunId, 0)).Where(e => e.Kind == RunEvents.EvaluationRecorded).ToList();
        Assert.Equal([1, 2], evaluations.Select(e => e.Round));
        Assert.All(evaluations, e => Assert.Equal(_evaluator.NodeId, e.NodeId));
        Assert.DoesNotContain(await State.ReadEventsAsync(RunId, 0), e => e.Kind == RunEvents.ResultRejected);
    }

    public async Task DisposeAsync()
    {
        await Scenario.DisposeAsync();
        await _redis.DisposeAsync();
    }
}
