using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Setkey;

/// <summary>The built setkey executable (copied next to the tests), run inside a namespace as a user would.</summary>
internal static class SetkeyBinary
{
    public static string Path => System.IO.Path.Combine(TestContext.CurrentContext.TestDirectory, "setkey");

    public static Shell.Result Run(TestNetns ns, string args) => ns.TryExec($"{Path} {args}");

    /// <summary>`ip xfrm state|policy` with leading blanks stripped, as golden.sh records it.</summary>
    public static string IpXfrm(TestNetns ns, string what) =>
        string.Concat(ns.Exec($"ip xfrm {what}").Split('\n').Select((l, i) => (i == 0 ? "" : "\n") + l.TrimStart(' ', '\t')));
}
