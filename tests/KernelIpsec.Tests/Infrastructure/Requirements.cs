using System.Runtime.InteropServices;
using NUnit.Framework;

namespace KernelIpsec.Tests.Infrastructure;

/// <summary>
/// What a Kernel- or Vm-tier test needs from the machine. When it is missing the test is
/// reported as skipped with the reason (./test.sh counts it); CI provides everything and
/// fails when the Vm tier did not run (vm/run-tier.sh).
/// </summary>
public static class Requirements
{
    /// <summary>Set by vm/guest-run.sh inside the project's VM (Debian kernel, all IPsec modules).</summary>
    public const string VmEnvironmentVariable = "KERNELIPSEC_IN_VM";

    public static bool IsRoot => geteuid() == 0;

    public static bool InVm => Environment.GetEnvironmentVariable(VmEnvironmentVariable) == "1";

    /// <summary>Kernel tier: root (network namespaces, NETLINK_XFRM writes).</summary>
    public static void Root()
    {
        if (!IsRoot)
            Assert.Ignore("needs root (network namespaces and XFRM writes): run ./test.sh as root");
        if (!File.Exists("/usr/sbin/ip") && !File.Exists("/sbin/ip") && !File.Exists("/usr/bin/ip"))
            Assert.Ignore("needs iproute2 (`ip`): apt-get install iproute2");
    }

    /// <summary>Vm tier: a real kernel with ESP/AH/IPComp/PF_KEY, i.e. inside the project's VM.</summary>
    public static void Vm()
    {
        if (!InVm)
            Assert.Ignore("needs the real-kernel VM: ./test.sh runs this tier inside it (vm/kvm.sh; root and qemu required)");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern uint geteuid();
}
