using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Setkey;

/// <summary>The built setkey executable, run inside a namespace as a user would.</summary>
internal static class SetkeyBinary
{
    /// <summary>Names another setkey binary to test (e.g. the NativeAOT artifacts/bin/setkey, which starts fast in the emulated VM).</summary>
    public const string OverrideVariable = "KERNELIPSEC_SETKEY";

    /// <summary>$KERNELIPSEC_SETKEY, else the apphost copied next to the tests.</summary>
    public static string Path => Environment.GetEnvironmentVariable(OverrideVariable) is { Length: > 0 } chosen
        ? chosen
        : System.IO.Path.Combine(TestContext.CurrentContext.TestDirectory, "setkey");

    public static Shell.Result Run(TestNetns ns, string args) => ns.TryExec($"{Path} {args}");

    /// <summary>`ip xfrm state|policy` with leading blanks stripped, as golden.sh records it.</summary>
    public static string IpXfrm(TestNetns ns, string what) =>
        string.Concat(ns.Exec($"ip xfrm {what}").Split('\n').Select((l, i) => (i == 0 ? "" : "\n") + l.TrimStart(' ', '\t')));
}
