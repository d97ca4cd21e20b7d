using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Architecture;

/// <summary>
/// DESIGN.md's arrows between the projects, read from the compiled assemblies: Keyd -> Ike, Netlink;
/// Setkey -> Netlink; Ike knows neither the kernel nor sockets; Netlink knows nothing of IKE.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class ProjectArrowTests
{
    [TestCase(ProductAssemblies.Ike, new[] { ProductAssemblies.Netlink, ProductAssemblies.Keyd, ProductAssemblies.Setkey, "Tmds.LibC" })]
    [TestCase(ProductAssemblies.Netlink, new[] { ProductAssemblies.Ike, ProductAssemblies.Keyd, ProductAssemblies.Setkey, ProductAssemblies.Racoonctl })]
    [TestCase(ProductAssemblies.Setkey, new[] { ProductAssemblies.Ike, ProductAssemblies.Keyd, ProductAssemblies.Racoonctl })]
    public void AssemblyReferencesNone(string assembly, string[] forbidden)
    {
        var references = ProductAssemblies.Read()[assembly].References;

        Assert.That(references.Intersect(forbidden), Is.Empty, $"{assembly} references {string.Join(", ", references)}");
    }

    [TestCase(ProductAssemblies.Ike, new[] { "KernelIpsec.Netlink", "KernelIpsec.Keyd", "KernelIpsec.Setkey" })]
    [TestCase(ProductAssemblies.Netlink, new[] { "KernelIpsec.Ike", "KernelIpsec.Keyd", "KernelIpsec.Setkey" })]
    [TestCase(ProductAssemblies.Setkey, new[] { "KernelIpsec.Ike", "KernelIpsec.Keyd" })]
    public void AssemblyUsesNoTypeOf(string assembly, string[] namespaces)
    {
        var offending = ProductAssemblies.Read()[assembly].Uses
            .Where(u => namespaces.Any(n => u.Used.Namespace == n || u.Used.Namespace.StartsWith(n + ".", StringComparison.Ordinal)))
            .Select(u => $"{u.User} uses {u.Used} ({u.Where})")
            .Distinct();

        Assert.That(offending, Is.Empty);
    }

    [Test]
    public void IkeUsesNoSockets()
    {
        // System.Net.Sockets.AddressFamily is only the name of an address's family (identities, NAT-OA)
        var offending = ProductAssemblies.Read()[ProductAssemblies.Ike].Uses
            .Where(u => u.Used.Namespace == "System.Net.Sockets" && u.Used.Name != "AddressFamily")
            .Select(u => $"{u.User} uses {u.Used} ({u.Where})")
            .Distinct();

        Assert.That(offending, Is.Empty);
    }

    [Test]
    public void TheReaderSeesSocketsWhereTheyAreUsed()
    {
        // the check above is only worth something if a real socket use is seen: keyd's transport has one
        var keyd = ProductAssemblies.Read()[ProductAssemblies.Keyd].Uses;

        Assert.That(keyd.Any(u => u.Used == new TypeName("System.Net.Sockets", "Socket")), Is.True);
    }
}
