using System.Runtime.CompilerServices;
using Zk0.Policy.Abstractions;

namespace Zk0.Tests;

internal static class TestHostSetup
{
    // As in every process that runs a policy, libtorch's math is made reproducible before its first computation; a test
    // that computes with TorchSharp before any policy code has loaded would otherwise fix MKL's branch for the whole host.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void MakeTorchMathReproducible() => RuntimeHelpers.RunModuleConstructor(typeof(ReproducibleMath).Module.ModuleHandle);
}
