namespace KernelIpsec.Tests.Infrastructure;

/// <summary>NUnit category names of the three test tiers (DESIGN.md "Test tiers").</summary>
public static class Tier
{
    /// <summary>No root, no kernel: pure code.</summary>
    public const string Unit = "Unit";

    /// <summary>Root and this machine's kernel, each test in a fresh network namespace.</summary>
    public const string Kernel = "Kernel";

    /// <summary>A real kernel with ESP/AH/IPComp/PF_KEY: runs inside the project's VM (vm/run-tier.sh).</summary>
    public const string Vm = "Vm";

    /// <summary>
    /// Vm-tier tests beyond CI's representative set (the full interop matrix, the rig's self-checks): same VM, run by
    /// bench/interop-matrix.sh, not by ./test.sh, which keeps one scenario per feature and peer within its time.
    /// </summary>
    public const string VmMatrix = "VmMatrix";
}
