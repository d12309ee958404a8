namespace Zk0.SuperLink.Hosting;

/// <summary>Bound from <c>SuperLink:Auth</c>: who may register as which node and record evaluations. Everything off is the local demo.</summary>
public sealed class SuperLinkAuthOptions
{
    /// <summary>
    /// Trainers must register through a gateway that verified their node key (it sets <c>zk0-verified-key-id</c>), and
    /// every later call for a node must come with the same key.
    /// </summary>
    public bool NodeAuthentication { get; set; }

    /// <summary>The Evaluator's credential (header <c>zk0-evaluator-token</c>, see <c>EvaluatorCredential</c>); when set, only a caller presenting it may register as the evaluator or record evaluations.</summary>
    public string? EvaluatorToken { get; set; }

    /// <summary>
    /// A folder of public keys (<c>*.pub</c>, each named after its file) registered when the SuperLink starts, before it
    /// serves a call: how a deployment (or the local AppHost) provisions its nodes' keys. Keys already registered stay as they are.
    /// </summary>
    public string? NodeKeysDirectory { get; set; }
}
