using NUnit.Framework;

namespace KernelIpsec.Tests.Infrastructure;

[TestFixture, Category(Tier.Unit)]
public class FoundationSmokeTests
{
    [Test]
    public void TestAssemblyRuns() => Assert.That(Tier.Unit, Is.EqualTo("Unit"));
}
