using Zk0.Federation.Security;

namespace Zk0.Tests.Federation.Security;

public sealed class EvaluatorCredentialTests
{
    [Fact]
    public void OnlyTheSameTokenMatches()
    {
        var token = OperatorCredential.NewToken();

        Assert.True(EvaluatorCredential.Matches(token, token));
        Assert.False(EvaluatorCredential.Matches(token + "x", token));
        Assert.False(EvaluatorCredential.Matches("", token));
        Assert.False(EvaluatorCredential.Matches(null, token));
    }
}
