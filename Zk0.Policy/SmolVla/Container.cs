using TorchSharp;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla;

/// <summary>A named level of the module tree that only groups children (e.g. <c>encoder</c>, <c>embeddings</c>).</summary>
public sealed class Container(string name) : NamedModule(name)
{
    public T Add<T>(string childName, T module) where T : nn.Module => Child(childName, module);
}
