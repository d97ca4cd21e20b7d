using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Packaging;

/// <summary>
/// The .deb through an administrator's whole life cycle on a clean Debian 12 root: installed over ipsec-tools
/// and an existing racoon configuration, upgraded to a newer build whose shipped configuration changed,
/// removed, purged. The administrator's /etc/racoon/racoon.conf, psk.txt and /etc/ipsec-tools.conf survive
/// everything but the purge, which (Debian policy 10.7.3) deletes the package's configuration files.
/// </summary>
[TestFixture, Category(Tier.Kernel)]
public class DebianUpgradeTests
{
    private const string AdminIpsecTools = "#!/usr/sbin/setkey -f\nflush;\nspdflush;\nspdadd 10.1.0.0/16 10.2.0.0/16 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;\n";
    private const string AdminRacoonConf = "path pre_shared_key \"/etc/racoon/psk.txt\";\n# the administrator's own racoon.conf\n";
    private const string AdminPsk = "192.0.2.2 the-administrators-secret\n";

    private string workDirectory = null!;
    private BuiltPackages packages = null!;

    [OneTimeSetUp]
    public void BuildPackages()
    {
        Requirements.Root();
        foreach (var tool in new[] { "debootstrap", "unshare", "chroot", "dpkg-deb" })
        {
            if (!Command.Exists(tool))
                Assert.Fail($"`{tool}` is missing: vm/install-deps.sh installs it (apt-get install debootstrap rpm dpkg-dev)");
        }
        workDirectory = Directory.CreateTempSubdirectory("kernelipsec-upgrade-").FullName;
        packages = BuiltPackages.Build(RepositoryRoot.Find(), workDirectory);
    }

    [OneTimeTearDown]
    public void RemoveWorkDirectory()
    {
        if (workDirectory != null && Directory.Exists(workDirectory))
            Directory.Delete(workDirectory, recursive: true);
    }

    [Test]
    public void InstallOverIpsecToolsThenUpgradeAndRemoveKeepTheAdministratorsFilesAndPurgeDeletesThem()
    {
        using var chroot = DebianChroot.Create();
        // ipsec-tools left Debian after bullseye: a stand-in with its name, version and conffile.
        var ipsecTools = chroot.PackageTool("dpkg", "-i", chroot.CopyIn(IpsecToolsStandIn()));
        Assert.That(ipsecTools.ExitCode, Is.Zero, ipsecTools.Output);
        File.WriteAllText(chroot.HostPath("/etc/ipsec-tools.conf"), AdminIpsecTools);
        // racoon's configuration as an administrator left it (the racoon package long purged, its files kept by hand).
        Directory.CreateDirectory(chroot.HostPath("/etc/racoon"));
        File.WriteAllText(chroot.HostPath("/etc/racoon/racoon.conf"), AdminRacoonConf);
        File.WriteAllText(chroot.HostPath("/etc/racoon/psk.txt"), AdminPsk);
        File.SetUnixFileMode(chroot.HostPath("/etc/racoon/psk.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // An unattended install of a package whose conffiles differ from what is on disk must say which to keep.
        var install = Apt(chroot, "install", chroot.CopyIn(packages.Deb));
        Assert.That(install.ExitCode, Is.Zero, install.Output);
        Assert.Multiple(() =>
        {
            Assert.That(Installed(chroot), Is.EqualTo($"install ok installed {packages.Version}"));
            Assert.That(chroot.PackageTool("dpkg-query", "-W", "-f=${Status}", "ipsec-tools").StdOut, Is.Not.EqualTo("install ok installed"), "ipsec-tools replaced");
            AssertAdministratorsFiles(chroot, "after installing over ipsec-tools");
        });
        var purgeOld = chroot.PackageTool("dpkg", "--purge", "ipsec-tools");
        Assert.That(purgeOld.ExitCode, Is.Zero, purgeOld.Output);
        AssertAdministratorsFiles(chroot, "after purging what was left of ipsec-tools");

        // A newer build whose shipped racoon.conf changed too: dpkg keeps the administrator's version.
        var upgrade = Apt(chroot, "install", chroot.CopyIn(NewerBuild(packages.Version + "+upgrade1")));
        Assert.That(upgrade.ExitCode, Is.Zero, upgrade.Output);
        Assert.Multiple(() =>
        {
            Assert.That(Installed(chroot), Is.EqualTo($"install ok installed {packages.Version}+upgrade1"));
            AssertAdministratorsFiles(chroot, "after the upgrade");
            Assert.That(File.ReadAllText(chroot.HostPath("/etc/racoon/racoon.conf.dpkg-dist")), Does.Contain("# changed in the newer build"),
                "the new shipped version is put beside the administrator's, as dpkg does");
        });

        // remove: the programs go, the configuration stays.
        var remove = chroot.PackageTool("apt-get", "remove", "-y", "kernelipsec");
        Assert.That(remove.ExitCode, Is.Zero, remove.Output);
        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(chroot.HostPath("/usr/sbin/racoon")), Is.False, "racoon removed");
            Assert.That(chroot.PackageTool("dpkg-query", "-W", "-f=${Status}", "kernelipsec").StdOut, Is.EqualTo("deinstall ok config-files"));
            AssertAdministratorsFiles(chroot, "after remove");
        });

        // purge: the package's configuration files go too, edited or not, with dpkg's side copies.
        var purge = chroot.PackageTool("dpkg", "--purge", "kernelipsec");
        Assert.That(purge.ExitCode, Is.Zero, purge.Output);
        Assert.Multiple(() =>
        {
            foreach (var file in new[] { "/etc/racoon/racoon.conf", "/etc/racoon/psk.txt", "/etc/ipsec-tools.conf", "/etc/racoon/racoon.conf.dpkg-dist" })
                Assert.That(File.Exists(chroot.HostPath(file)), Is.False, $"{file} purged");
            Assert.That(chroot.PackageTool("dpkg-query", "-W", "-f=${Status}", "kernelipsec").StdOut, Is.Not.Contain("config-files"), "nothing of the package is left");
        });
    }

    private static Command.Result Apt(DebianChroot chroot, string verb, string debInside) =>
        chroot.PackageTool("apt-get", verb, "-y", "--no-install-recommends", "-o", "Dpkg::Options::=--force-confold", debInside);

    private static string Installed(DebianChroot chroot) =>
        chroot.PackageTool("dpkg-query", "-W", "-f=${Status} ${Version}", "kernelipsec").StdOut;

    private static void AssertAdministratorsFiles(DebianChroot chroot, string when)
    {
        Assert.That(File.ReadAllText(chroot.HostPath("/etc/ipsec-tools.conf")), Is.EqualTo(AdminIpsecTools), $"/etc/ipsec-tools.conf {when}");
        Assert.That(File.ReadAllText(chroot.HostPath("/etc/racoon/racoon.conf")), Is.EqualTo(AdminRacoonConf), $"racoon.conf {when}");
        Assert.That(File.ReadAllText(chroot.HostPath("/etc/racoon/psk.txt")), Is.EqualTo(AdminPsk), $"psk.txt {when}");
        Assert.That(File.GetUnixFileMode(chroot.HostPath("/etc/racoon/psk.txt")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), $"psk.txt mode {when}");
    }

    private string IpsecToolsStandIn()
    {
        var tree = Path.Combine(workDirectory, "old-ipsec-tools");
        Directory.CreateDirectory(Path.Combine(tree, "DEBIAN"));
        Directory.CreateDirectory(Path.Combine(tree, "usr/sbin"));
        File.WriteAllText(Path.Combine(tree, "DEBIAN/control"),
            "Package: ipsec-tools\nVersion: 1:0.8.2+20140711-13\nArchitecture: all\nMaintainer: test <test@example.invalid>\nDescription: stand-in for ipsec-tools\n");
        File.WriteAllText(Path.Combine(tree, "DEBIAN/conffiles"), "/etc/ipsec-tools.conf\n");
        Directory.CreateDirectory(Path.Combine(tree, "etc"));
        File.WriteAllText(Path.Combine(tree, "etc/ipsec-tools.conf"), "#!/usr/sbin/setkey -f\nflush;\nspdflush;\n");
        File.WriteAllText(Path.Combine(tree, "usr/sbin/setkey"), "#!/bin/sh\necho old setkey\n");
        var deb = Path.Combine(workDirectory, "ipsec-tools_0.8.2_all.deb");
        Command.Check(["dpkg-deb", "--root-owner-group", "--build", tree, deb]);
        return deb;
    }

    /// <summary>Our .deb rebuilt as <paramref name="version"/> with a changed shipped racoon.conf.</summary>
    private string NewerBuild(string version)
    {
        var tree = Path.Combine(workDirectory, "newer");
        Command.Check(["dpkg-deb", "-R", packages.Deb, tree]);
        var control = Path.Combine(tree, "DEBIAN/control");
        File.WriteAllLines(control, File.ReadAllLines(control).Select(line => line.StartsWith("Version: ", StringComparison.Ordinal) ? "Version: " + version : line));
        File.AppendAllText(Path.Combine(tree, "etc/racoon/racoon.conf"), "# changed in the newer build\n");
        Command.Check(["sh", "-c", "cd \"$1\" && find . -path ./DEBIAN -prune -o -type f -printf '%P\\n' | LC_ALL=C sort | xargs md5sum > DEBIAN/md5sums", "sh", tree]);
        var deb = Path.Combine(workDirectory, $"kernelipsec_{version}_amd64.deb");
        Command.Check(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", tree, deb]);
        return deb;
    }
}
