using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Packaging;

/// <summary>
/// The distributions' own checkers on the built packages: lintian (Debian) and rpmlint (RPM) report no error
/// and no warning. What they flag on purpose is overridden with a one-line reason in
/// packaging/debian/kernelipsec.lintian-overrides and packaging/rpm/rpmlint.toml.
/// </summary>
[TestFixture, Category(Tier.Kernel)]
public class PackageLintTests
{
    private string workDirectory = null!;
    private BuiltPackages packages = null!;

    [OneTimeSetUp]
    public void BuildPackages()
    {
        Requirements.Root();
        foreach (var tool in new[] { "lintian", "rpmlint", "dpkg-deb", "rpmbuild" })
        {
            if (!Command.Exists(tool))
                Assert.Fail($"`{tool}` is missing: vm/install-deps.sh installs it (apt-get install lintian rpmlint rpm dpkg-dev)");
        }
        workDirectory = Directory.CreateTempSubdirectory("kernelipsec-lint-").FullName;
        packages = BuiltPackages.Build(RepositoryRoot.Find(), workDirectory);
    }

    [OneTimeTearDown]
    public void RemoveWorkDirectory()
    {
        if (workDirectory != null && Directory.Exists(workDirectory))
            Directory.Delete(workDirectory, recursive: true);
    }

    [Test]
    public void LintianFindsNoErrorAndNoWarningInTheDeb()
    {
        // --pedantic and info tags shown, so the output documents everything lintian said; only E and W fail.
        var lintian = Command.Run(["lintian", "--pedantic", "-I", "--tag-display-limit", "0", "--fail-on", "error,warning", packages.Deb], timeoutMs: 600_000);
        var complaints = lintian.StdOut.Split('\n').Where(line => line.StartsWith("E: ", StringComparison.Ordinal) || line.StartsWith("W: ", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(complaints, Is.Empty, lintian.Output);
            Assert.That(lintian.ExitCode, Is.Zero, lintian.Output);
            Assert.That(lintian.StdOut, Does.Not.Contain("unused-override").And.Not.Contain("mismatched-override"), "every override still matches a tag");
        });
    }

    [Test]
    public void RpmlintFindsNoErrorAndNoWarningInTheRpm()
    {
        var config = Path.Combine(RepositoryRoot.Find(), "packaging", "rpm", "rpmlint.toml");
        var rpmlint = Command.Run(["rpmlint", "-c", config, packages.Rpm], timeoutMs: 600_000);
        Assert.Multiple(() =>
        {
            Assert.That(rpmlint.StdOut, Does.Contain(" 0 errors, 0 warnings"), rpmlint.Output);
            Assert.That(rpmlint.ExitCode, Is.Zero, rpmlint.Output);
        });
    }
}
