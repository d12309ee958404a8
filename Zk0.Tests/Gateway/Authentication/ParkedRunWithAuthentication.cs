using Zk0.Federation.Protocol;
using Zk0.Federation.Security;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.Gateway.Authentication;

/// <summary>
/// An <see cref="AuthenticatedFederation"/> with two registered trainers, the Evaluator and a run in progress, held at
/// round 1 (its evaluation held back) while the tests throw refused calls at it. Every test ends with
/// <see cref="AssertUnharmedAsync"/>; the last of them lets the run go on and checks that it completes.
/// </summary>
public sealed class ParkedRunWithAuthentication : IAsyncLifetime
{
    private const string RunConfig = "num-server-rounds=2 eval-timeout-seconds=300 node-wait-timeout-seconds=120";
    private volatile bool _evaluationsHeld = true;
    private int _testsLeft = typeof(NodeAuthenticationTests).GetMethods().Count(m => m.IsDefined(typeof(FactAttribute), inherit: true));

    public AuthenticatedFederation Federation { get; private set; } = null!;
    public NodeKeyPair KeyA { get; private set; } = null!;
    public NodeKeyPair KeyB { get; private set; } = null!;
    public TestNode TrainerA { get; private set; } = null!;
    public TestNode TrainerB { get; private set; } = null!;
    public TestNode Evaluator { get; private set; } = null!;
    public string RunId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Federation = await AuthenticatedFederation.StartAsync();
        KeyA = await Federation.RegisteredKeyAsync("lab-a");
        KeyB = await Federation.RegisteredKeyAsync("lab-b");
        TrainerA = Federation.Trainer("ds-a", 1, 100, KeyA);
        TrainerB = Federation.Trainer("ds-b", 3, 300, KeyB);
        Evaluator = Federation.Evaluator();
        Evaluator.Active = () => !_evaluationsHeld;
        // No long poll: a pull already held when the evaluator is paused would still take the next evaluate task.
        Evaluator.PullWait = TimeSpan.Zero;
        await Federation.Scenario.StartAsync(TrainerA, TrainerB, Evaluator);
        var submit = new SubmitRunRequest();
        foreach (var (key, value) in Zk0.Federation.Runs.RunConfiguration.ParseAssignments(RunConfig)) submit.Config[key] = value;
        RunId = (await Federation.Operator.SubmitRunAsync(submit)).RunId;
        await RunWaiter.WaitAsync(() => Federation.Scenario.Host, RunId, r => r.Rounds.Count == 1 && r.Rounds[0].ModelHash.Length > 0, TimeSpan.FromSeconds(90));
    }

    /// <summary>
    /// The run goes on as if nothing happened: still running at round 1 with both trainers' results, the three nodes
    /// online with their keys, the two keys registered. Called by the last test, it lets the run finish.
    /// </summary>
    public async Task AssertUnharmedAsync()
    {
        var control = Federation.Operator;
        var run = await control.GetRunAsync(new GetRunRequest { RunId = RunId });
        Assert.Equal(RunStatus.Running, run.Summary.Status);
        var round = Assert.Single(run.Rounds);
        Assert.Equal(2, round.Train.Count);
        Assert.Empty(round.MissingNodes);
        var nodes = (await control.ListNodesAsync(new ListNodesRequest())).Nodes.ToDictionary(n => n.NodeId);
        Assert.Equal(3, nodes.Count);
        Assert.Equal(KeyA.KeyId, nodes[TrainerA.NodeId].KeyId);
        Assert.Equal(KeyB.KeyId, nodes[TrainerB.NodeId].KeyId);
        Assert.Equal("", nodes[Evaluator.NodeId].KeyId);
        var keys = (await control.ListNodeKeysAsync(new ListNodeKeysRequest())).Keys.Select(k => k.KeyId).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { KeyA.KeyId, KeyB.KeyId }.Order(StringComparer.Ordinal).ToArray(), keys);
        if (Interlocked.Decrement(ref _testsLeft) > 0) return;

        _evaluationsHeld = false;
        var done = await RunWaiter.CompletedAsync(() => Federation.Scenario.Host, RunId, TimeSpan.FromSeconds(90));
        Assert.Equal(RunStatus.Completed, done.Summary.Status);
        Assert.Equal(2, done.Rounds.Count);
        Assert.All(done.Rounds, r => Assert.Equal(2, r.Train.Count));
        Assert.All(done.Rounds, r => Assert.NotNull(r.Eval));
    }

    public async Task DisposeAsync()
    {
        await Federation.DisposeAsync();
        KeyA.Dispose();
        KeyB.Dispose();
    }
}
