using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Packaging;

/// <summary>
/// The .rpm from packaging/build-packages.sh: its file list, digests, relations to
/// ipsec-tools, and an install into a scratch root with rpm --root (no RPM distribution
/// here, so without dependency checks or scriptlets), where %config(noreplace) keeps an
/// administrator's edit and an erase takes everything else away.
/// </summary>
[TestFixture, Category(Tier.Kernel)]
public class RpmPackageTests
{
    private string workDirectory = null!;
    private BuiltPackages packages = null!;

    private static readonly string[] Files =
    [
        "/etc/ipsec-tools.conf",
        "/etc/racoon",
        "/etc/racoon/certs",
        "/etc/racoon/psk.txt",
        "/etc/racoon/racoon.conf",
        "/usr/lib/systemd/system/racoon.service",
        "/usr/lib/systemd/system/setkey.service",
        "/usr/sbin/racoon",
        "/usr/sbin/racoonctl",
        "/usr/sbin/setkey",
        "/usr/share/doc/kernelipsec",
        "/usr/share/doc/kernelipsec/copyright",
        "/usr/share/man/man5/racoon.conf.5.gz",
        "/usr/share/man/man8/racoon.8.gz",
        "/usr/share/man/man8/racoonctl.8.gz",
        "/usr/share/man/man8/setkey.8.gz",
    ];

    [OneTimeSetUp]
    public void BuildPackages()
    {
        Requirements.Root();
        workDirectory = Directory.CreateTempSubdirectory("kernelipsec-rpm-").FullName;
        packages = BuiltPackages.Build(RepositoryRoot.Find(), workDirectory);
    }

    [OneTimeTearDown]
    public void RemoveWorkDirectory()
    {
        if (workDirectory != null && Directory.Exists(workDirectory))
            Directory.Delete(workDirectory, recursive: true);
    }

    [Test]
    public void ListsTheIpsecToolsLayoutWithConfigFilesAndVerifiedDigests()
    {
        var list = Command.Check(["rpm", "-qlp", packages.Rpm]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var config = Command.Check(["rpm", "-qcp", packages.Rpm]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var digests = Command.Run(["rpm", "-K", packages.Rpm]);
        var header = Command.Check(["rpm", "-qp", "--qf", "%{NAME} %{VERSION} %{ARCH}", packages.Rpm]);
        Assert.Multiple(() =>
        {
            Assert.That(list, Is.EquivalentTo(Files));
            Assert.That(config, Is.EquivalentTo(new[] { "/etc/ipsec-tools.conf", "/etc/racoon/psk.txt", "/etc/racoon/racoon.conf" }));
            Assert.That(digests.ExitCode, Is.Zero, digests.Output);
            Assert.That(digests.StdOut, Does.Contain("digests OK"), digests.Output);
            Assert.That(header, Is.EqualTo($"kernelipsec {packages.Version} x86_64"));
        });
    }

    [Test]
    public void ReplacesIpsecToolsAndNeedsOpenSsl()
    {
        var provides = Lines(Command.Check(["rpm", "-qp", "--provides", packages.Rpm]));
        var obsoletes = Lines(Command.Check(["rpm", "-qp", "--obsoletes", packages.Rpm]));
        var conflicts = Lines(Command.Check(["rpm", "-qp", "--conflicts", packages.Rpm]));
        var requires = Lines(Command.Check(["rpm", "-qp", "--requires", packages.Rpm]));
        Assert.Multiple(() =>
        {
            Assert.That(provides, Does.Contain("ipsec-tools = 0.8.2-100").And.Contain("racoon = 0.8.2-100"));
            Assert.That(obsoletes, Is.EquivalentTo(new[] { "ipsec-tools < 0.8.2-100", "racoon < 0.8.2-100" }));
            Assert.That(conflicts, Is.EquivalentTo(new[] { "ipsec-tools < 0.8.2-100", "racoon < 0.8.2-100" }));
            Assert.That(requires, Does.Contain("libc.so.6()(64bit)").And.Contain("libssl.so.3()(64bit)"));
        });
    }

    [Test]
    public void InstallsIntoAScratchRoot_KeepsEditedConfig_AndErasesTheRest()
    {
        var root = Directory.CreateTempSubdirectory("kernelipsec-rpmroot-").FullName;
        try
        {
            string[] rpm = ["rpm", "--root", root, "--dbpath", "/var/lib/rpm"];
            Command.Check([.. rpm, "--initdb"]);
            Command.Check([.. rpm, "-i", "--nodeps", "--noscripts", packages.Rpm]);

            var installed = Lines(Command.Check([.. rpm, "-ql", "kernelipsec"]));
            Assert.Multiple(() =>
            {
                Assert.That(installed, Is.EquivalentTo(Files));
                foreach (var file in Files)
                    Assert.That(Path.Exists(Path.Combine(root, file.TrimStart('/'))), Is.True, file);
                Assert.That(Mode(root, "/etc/racoon/psk.txt"), Is.EqualTo("600"));
                Assert.That(Mode(root, "/etc/racoon/certs"), Is.EqualTo("700"));
                Assert.That(Mode(root, "/usr/sbin/racoon"), Is.EqualTo("755"));
                Assert.That(Command.Run([.. rpm, "-V", "--nodeps", "kernelipsec"]).ExitCode, Is.Zero, "rpm -V: files as packaged");
            });

            // %config(noreplace): a reinstall keeps the administrator's version.
            var racoonConf = Path.Combine(root, "etc/racoon/racoon.conf");
            File.AppendAllText(racoonConf, "# edited by the administrator\n");
            Command.Check([.. rpm, "-U", "--replacepkgs", "--nodeps", "--noscripts", packages.Rpm]);
            Assert.That(File.ReadAllText(racoonConf), Does.EndWith("# edited by the administrator\n"));

            // Erase: every packaged file goes; the edited config is kept aside as .rpmsave.
            Command.Check([.. rpm, "-e", "--nodeps", "--noscripts", "kernelipsec"]);
            var left = Command.Check(["find", root, "-path", Path.Combine(root, "var/lib/rpm"), "-prune", "-o", "-type", "f", "-printf", "/%P\\n"]);
            Assert.That(Lines(left), Is.EquivalentTo(new[] { "/etc/racoon/racoon.conf.rpmsave" }));
        }
        finally
        {
            DebianChroot.RemoveTree(root);
        }
    }

    private static string Mode(string root, string path) =>
        Command.Check(["stat", "-c", "%a", Path.Combine(root, path.TrimStart('/'))]).Trim();

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
