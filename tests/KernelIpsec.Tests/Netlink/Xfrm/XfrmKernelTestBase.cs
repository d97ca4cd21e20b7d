using KernelIpsec.Netlink.Xfrm;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Netlink.Xfrm;

/// <summary>A fresh netns per test and an <see cref="XfrmKernel"/> opened inside it.</summary>
public abstract class XfrmKernelTestBase
{
    protected TestNetns Ns { get; private set; } = null!;

    [SetUp]
    public void CreateNamespace()
    {
        Requirements.Root();
        Ns = TestNetns.Create();
    }

    [TearDown]
    public void DeleteNamespace() => Ns?.Dispose();

    /// <summary>Runs <paramref name="body"/> with a kernel whose socket lives in <see cref="Ns"/>.</summary>
    protected T WithKernel<T>(Func<XfrmKernel, Task<T>> body) => Ns.Run(() =>
    {
        var kernel = XfrmKernel.Open();
        try
        {
            return body(kernel).GetAwaiter().GetResult();
        }
        finally
        {
            kernel.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    });

    protected void WithKernel(Func<XfrmKernel, Task> body) => WithKernel(async k =>
    {
        await body(k);
        return 0;
    });

    /// <summary>`ip xfrm OBJECT` in a namespace, lines trimmed, blank lines dropped.</summary>
    protected static string IpXfrm(TestNetns ns, string what) =>
        string.Join("\n", ns.Exec($"ip xfrm {what}").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
}
