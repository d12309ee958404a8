using Zk0.Cli.Runs;
using Zk0.Federation.Protocol;

namespace Zk0.Tests.Cli.Runs;

public sealed class RunOutcomeTests
{
    [Theory]
    [InlineData(RunEventKind.RunCompleted, 0)]
    [InlineData(RunEventKind.RunFailed, 1)]
    [InlineData(RunEventKind.RunStopped, 3)]
    public void OnlyACompletedRunExitsZero(RunEventKind terminal, int exitCode) => Assert.Equal(exitCode, RunOutcome.ExitCode(terminal));

    [Theory]
    [InlineData(RunStatus.Completed, 0)]
    [InlineData(RunStatus.Failed, 1)]
    [InlineData(RunStatus.Stopped, 3)]
    [InlineData(RunStatus.Running, 5)]
    public void AStatusMapsToTheSameCodes(RunStatus status, int exitCode) => Assert.Equal(exitCode, RunOutcome.ExitCode(status));
}
