using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Zk0.Policy.Abstractions;

/// <summary>
/// Makes libtorch's CPU math give the same bits from run to run. MKL, linked into libtorch, picks code paths by the
/// memory alignment of each operand unless a "conditional numerical reproducibility" branch is set: 12 of 90 matrix
/// products changed in their last bits when one operand moved in memory, and the same model on the same batches scored a
/// last-digit different loss from one process to the next (<c>zk0 learn</c>, one thread or two). <c>MKL_CBWR=AUTO</c>
/// fixes the best branch for this CPU: the same bits on the same machine, at no measured cost. MKL reads the variable at
/// its first computation, so it is set when this assembly loads, before any policy runs; a value the operator set is kept.
/// </summary>
public static class ReproducibleMath
{
    public const string MklBranchVariable = "MKL_CBWR";
    public const string SameMachineBranch = "AUTO";

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetNativeEnvironment(string name, string value, int overwrite);

#pragma warning disable CA2255 // Every process that runs a policy (node, evaluator, CLI, test host) loads this assembly first.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(MklBranchVariable) is not null) return;
        // The native environment is what MKL reads; the managed one is what processes started from .NET inherit.
        SetNativeEnvironment(MklBranchVariable, SameMachineBranch, overwrite: 1);
        Environment.SetEnvironmentVariable(MklBranchVariable, SameMachineBranch);
    }
}
