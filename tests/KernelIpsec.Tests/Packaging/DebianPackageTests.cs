using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Packaging;

/// <summary>
/// The .deb from packaging/build-packages.sh on a clean Debian 12 root (a debootstrap minbase
/// chroot): `apt install ./kernelipsec_*.deb`, the layout ipsec-tools and racoon users expect,
/// conffiles that survive upgrades, the tools working there, and a purge that leaves nothing.
/// </summary>
[TestFixture, Category(Tier.Kernel)]
public class DebianPackageTests
{
    private string workDirectory = null!;
    private BuiltPackages packages = null!;
    private DebianChroot? installedRoot;

    private static readonly string[] Conffiles = ["/etc/ipsec-tools.conf", "/etc/racoon/psk.txt", "/etc/racoon/racoon.conf"];

    /// <summary>What the package must install: path, type (f file, d directory), mode, owner.</summary>
    private static readonly string[] Layout =
    [
        "/usr/sbin/setkey f 755 root:root",
        "/usr/sbin/racoon f 755 root:root",
        "/usr/sbin/racoonctl f 755 root:root",
        "/etc/ipsec-tools.conf f 644 root:root",
        "/etc/racoon d 755 root:root",
        "/etc/racoon/racoon.conf f 644 root:root",
        "/etc/racoon/psk.txt f 600 root:root",
        "/etc/racoon/certs d 700 root:root",
        // The .deb ships units in /lib/systemd/system; bookworm's merged /usr puts them here.
        "/usr/lib/systemd/system/setkey.service f 644 root:root",
        "/usr/lib/systemd/system/racoon.service f 644 root:root",
        "/usr/share/man/man8/setkey.8.gz f 644 root:root",
        "/usr/share/man/man8/racoon.8.gz f 644 root:root",
        "/usr/share/man/man8/racoonctl.8.gz f 644 root:root",
        "/usr/share/man/man5/racoon.conf.5.gz f 644 root:root",
        "/usr/share/doc/kernelipsec/copyright f 644 root:root",
    ];

    /// <summary>Package-manager bookkeeping, the only paths a purge may leave changed.</summary>
    private static readonly string[] Bookkeeping = ["/var/lib/dpkg/", "/var/lib/apt/", "/var/cache/apt/", "/var/log/", "/var/cache/debconf/"];

    [OneTimeSetUp]
    public void BuildPackages()
    {
        Requirements.Root();
        foreach (var tool in new[] { "debootstrap", "unshare", "chroot", "dpkg-deb" })
        {
            if (!Command.Exists(tool))
                Assert.Fail($"`{tool}` is missing: vm/install-deps.sh installs it (apt-get install debootstrap rpm dpkg-dev)");
        }
        workDirectory = Directory.CreateTempSubdirectory("kernelipsec-deb-").FullName;
        packages = BuiltPackages.Build(RepositoryRoot.Find(), workDirectory);
    }

    [OneTimeTearDown]
    public void RemoveWorkDirectory()
    {
        installedRoot?.Dispose();
        if (workDirectory != null && Directory.Exists(workDirectory))
            Directory.Delete(workDirectory, recursive: true);
    }

    [Test]
    public void InstallsAsIpsecToolsLaidItOut_KeepsEditedConffiles_AndPurgesWithoutTrace()
    {
        using var chroot = DebianChroot.Create();
        var pristine = chroot.Snapshot();
        var deb = chroot.CopyIn(packages.Deb);

        var install = chroot.AptInstall(deb);
        Assert.That(install.ExitCode, Is.Zero, install.Output);
        var status = chroot.PackageTool("dpkg-query", "-W", "-f=${Status} ${Version}", "kernelipsec");
        Assert.That(status.StdOut, Is.EqualTo($"install ok installed {packages.Version}"), status.Output);

        var installed = chroot.Snapshot();
        Assert.Multiple(() =>
        {
            foreach (var entry in Layout)
                Assert.That(installed, Does.Contain(entry), "installed file, type, mode, owner");
            var conffiles = chroot.PackageTool("dpkg-query", "-W", "-f=${Conffiles}", "kernelipsec").StdOut
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Trim().Split(' ')[0]);
            Assert.That(conffiles, Is.EquivalentTo(Conffiles), "dpkg conffiles");
            foreach (var unit in new[] { "setkey.service", "racoon.service" })
            {
                var wants = new FileInfo(chroot.HostPath($"/etc/systemd/system/multi-user.target.wants/{unit}"));
                Assert.That(wants.LinkTarget, Is.EqualTo($"/lib/systemd/system/{unit}"), $"{unit} enabled for boot");
            }
            Assert.That(ProcessesRootedIn(chroot.Root), Is.Empty, "nothing may be started in a chroot");
        });

        // An administrator's edit survives a reinstall/upgrade: dpkg keeps the changed
        // conffile and the maintainer scripts do not touch it.
        var racoonConf = chroot.HostPath("/etc/racoon/racoon.conf");
        File.AppendAllText(racoonConf, "# edited by the administrator\n");
        var reinstall = chroot.PackageTool("dpkg", "-i", deb);
        Assert.That(reinstall.ExitCode, Is.Zero, reinstall.Output);
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(racoonConf), Does.EndWith("# edited by the administrator\n"));
            Assert.That(File.Exists(racoonConf + ".dpkg-new") || File.Exists(racoonConf + ".dpkg-dist"), Is.False);
            Assert.That(chroot.Snapshot(), Does.Contain("/etc/racoon/psk.txt f 600 root:root"));
        });

        // remove: programs go, configuration stays (as for any Debian package).
        var remove = chroot.PackageTool("apt-get", "remove", "-y", "kernelipsec");
        Assert.That(remove.ExitCode, Is.Zero, remove.Output);
        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(chroot.HostPath("/usr/sbin/racoon")), Is.False);
            Assert.That(File.ReadAllText(racoonConf), Does.EndWith("# edited by the administrator\n"));
        });

        // purge (with the dependency apt pulled in): back to the pristine tree.
        var purge = chroot.PackageTool("apt-get", "purge", "-y", "--autoremove", "kernelipsec");
        Assert.That(purge.ExitCode, Is.Zero, purge.Output);
        var changed = chroot.Snapshot();
        changed.SymmetricExceptWith(pristine);
        var leftovers = changed.Where(entry => !Bookkeeping.Any(entry.StartsWith));
        Assert.That(leftovers, Is.Empty, "paths added, removed or changed by install + purge (dpkg/apt bookkeeping aside)");
    }

    [Test]
    public void ReplacesAnInstalledRacoonAndKeepsItsAdministratorsConfiguration()
    {
        // Debian's racoon left bookworm, so a stand-in with its name, version and conffile.
        var old = Path.Combine(workDirectory, "old-racoon");
        Directory.CreateDirectory(Path.Combine(old, "DEBIAN"));
        Directory.CreateDirectory(Path.Combine(old, "etc/racoon"));
        Directory.CreateDirectory(Path.Combine(old, "usr/sbin"));
        File.WriteAllText(Path.Combine(old, "DEBIAN/control"),
            "Package: racoon\nVersion: 1:0.8.2+20140711-13\nArchitecture: all\nMaintainer: test <test@example.invalid>\nDescription: stand-in for ipsec-tools' racoon\n");
        File.WriteAllText(Path.Combine(old, "DEBIAN/conffiles"), "/etc/racoon/racoon.conf\n");
        File.WriteAllText(Path.Combine(old, "etc/racoon/racoon.conf"), "path pre_shared_key \"/etc/racoon/psk.txt\";\n");
        File.WriteAllText(Path.Combine(old, "usr/sbin/racoon"), "#!/bin/sh\necho old racoon\n");
        var oldDeb = Path.Combine(workDirectory, "racoon_0.8.2_all.deb");
        Command.Check(["dpkg-deb", "--root-owner-group", "--build", old, oldDeb]);

        using var chroot = DebianChroot.Create();
        var installOld = chroot.PackageTool("dpkg", "-i", chroot.CopyIn(oldDeb));
        Assert.That(installOld.ExitCode, Is.Zero, installOld.Output);
        var racoonConf = chroot.HostPath("/etc/racoon/racoon.conf");
        File.AppendAllText(racoonConf, "# the administrator's own\n");

        // As with any changed conffile, an unattended install says which version to keep.
        var install = chroot.PackageTool("apt-get", "install", "-y", "-o", "Dpkg::Options::=--force-confold", chroot.CopyIn(packages.Deb));
        Assert.That(install.ExitCode, Is.Zero, install.Output);
        var states = chroot.PackageTool("dpkg-query", "-W", "-f=${Package} ${Status}\n", "racoon", "kernelipsec").StdOut;
        Assert.Multiple(() =>
        {
            Assert.That(states, Does.Contain("racoon deinstall ok config-files").And.Contain("kernelipsec install ok installed"));
            Assert.That(File.ReadAllText(racoonConf), Does.EndWith("# the administrator's own\n"));
            Assert.That(File.ReadAllBytes(chroot.HostPath("/usr/sbin/racoon")).Take(4), Is.EqualTo("\u007fELF"u8.ToArray()), "our racoon replaced the old one");
        });

        // Purging what is left of the old package no longer touches the file we took over.
        var purgeOld = chroot.PackageTool("dpkg", "--purge", "racoon");
        Assert.That(purgeOld.ExitCode, Is.Zero, purgeOld.Output);
        Assert.That(File.ReadAllText(racoonConf), Does.EndWith("# the administrator's own\n"));
    }

    [Test]
    public void InstalledSetkeyRunsTheBootScriptAndDumpsAnEmptyPolicyDatabase()
    {
        var chroot = InstalledRoot();

        // setkey -c <<< 'spddump;' on a fresh network namespace: nothing there yet.
        var spddump = chroot.RunIsolated(["/usr/sbin/setkey", "-c"], "spddump;\n");
        if (PlaceholderTool.Answered(spddump))
            Assert.Ignore(PlaceholderTool.Reason("setkey"));
        Assert.Multiple(() =>
        {
            Assert.That(spddump.ExitCode, Is.Zero, spddump.Output);
            Assert.That(spddump.StdOut.Trim(), Is.EqualTo("No SPD entries."), spddump.Output);
        });

        // What setkey.service runs at boot, on the shipped /etc/ipsec-tools.conf.
        var boot = chroot.RunIsolated(["/usr/sbin/setkey", "-f", "/etc/ipsec-tools.conf"]);
        Assert.Multiple(() =>
        {
            Assert.That(boot.ExitCode, Is.Zero, boot.Output);
            Assert.That(boot.StdErr, Is.Empty, boot.Output);
        });
    }

    [Test]
    public void InstalledRacoonAcceptsTheShippedConfigurationAndPskFile()
    {
        var chroot = InstalledRoot();

        var dump = chroot.RunIsolated(["/usr/sbin/racoon", "-C", "-f", "/etc/racoon/racoon.conf"]);
        if (PlaceholderTool.Answered(dump))
            Assert.Ignore(PlaceholderTool.Reason("racoon"));
        Assert.Multiple(() =>
        {
            Assert.That(dump.ExitCode, Is.Zero, dump.Output);
            Assert.That(dump.StdOut + dump.StdErr, Does.Not.Contain("ERROR").And.Not.Contain("failed to parse"), dump.Output);
        });

        // --check also reads psk.txt (root-owned, 0600 as shipped) and reports every problem.
        var check = chroot.RunIsolated(["/usr/sbin/racoon", "--check", "-f", "/etc/racoon/racoon.conf"]);
        Assert.That(check.ExitCode, Is.Zero, check.Output);
    }

    [Test]
    public void ManPagesRenderCleanlyAndDocumentTheFlagsAndOurAdditions()
    {
        var tree = Unpacked();
        var pages = new Dictionary<string, string[]>
        {
            ["man8/setkey.8.gz"] = ["-f", "-c", "-D", "-F", "-P", "-n", "-x", "-k", "--kernel", "--atomic", "spdadd", "getspi", "EXIT STATUS"],
            ["man8/racoon.8.gz"] = ["-F", "-f", "-C", "-d", "-l", "-p", "-P", "-B", "--kernel", "--check", "SIGHUP", "Type=notify"],
            ["man8/racoonctl.8.gz"] = ["show-sa", "flush-sa", "delete-sa", "establish-sa", "reload-config", "show-event", "-s"],
            ["man5/racoon.conf.5.gz"] = ["remote", "sainfo", "proposal", "exchange_mode", "pre_shared_key", "psk.txt", "listen", "timer"],
        };
        Assert.Multiple(() =>
        {
            foreach (var (page, words) in pages)
            {
                var source = Path.Combine(tree, "usr/share/man", page);
                // groff -ww: every warning; -Tutf8 renders what man(1) would show.
                var render = Command.Run(["sh", "-c", "gzip -dc \"$1\" | groff -man -ww -Tutf8 -P-cbou", "sh", source],
                    environment: new Dictionary<string, string> { ["LC_ALL"] = "C.UTF-8" });
                Assert.That(render.ExitCode, Is.Zero, $"{page}: {render.Output}");
                Assert.That(render.StdErr, Is.Empty, $"{page} has roff warnings");
                var text = render.StdOut.Replace("\u2010", "-", StringComparison.Ordinal).Replace("\u2212", "-", StringComparison.Ordinal);
                foreach (var word in words)
                    Assert.That(text, Does.Contain(word), $"{page} documents {word}");
            }
        });
    }

    [Test]
    public void SystemdUnitsStartSetkeyBeforeTheNetworkAndRacoonOnlyWithItsConfiguration()
    {
        var units = Path.Combine(Unpacked(), "lib/systemd/system");
        var setkey = File.ReadAllLines(Path.Combine(units, "setkey.service"));
        var racoon = File.ReadAllLines(Path.Combine(units, "racoon.service"));
        Assert.Multiple(() =>
        {
            Assert.That(setkey, Does.Contain("Type=oneshot").And.Contain("RemainAfterExit=yes")
                .And.Contain("ExecStart=/usr/sbin/setkey -f /etc/ipsec-tools.conf")
                .And.Contain("ConditionPathExists=/etc/ipsec-tools.conf")
                .And.Contain("Before=network-pre.target shutdown.target").And.Contain("Wants=network-pre.target")
                .And.Contain("WantedBy=multi-user.target"));
            Assert.That(racoon, Does.Contain("Type=notify")
                .And.Contain("ExecStart=/usr/sbin/racoon -F -f /etc/racoon/racoon.conf")
                .And.Contain("ExecReload=/usr/sbin/racoon --check -f /etc/racoon/racoon.conf")
                .And.Contain("ExecReload=/bin/kill -HUP $MAINPID")
                .And.Contain("ConditionPathExists=/etc/racoon/racoon.conf")
                .And.Contain("After=network-online.target setkey.service")
                .And.Contain("WantedBy=multi-user.target"));
            // Least privilege: the capabilities racoon's CapabilityPlan may keep, plus CAP_SETPCAP to drop the rest.
            Assert.That(racoon, Does.Contain("CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_BIND_SERVICE CAP_NET_RAW CAP_CHOWN CAP_AUDIT_WRITE CAP_SETPCAP")
                .And.Contain("ExecStartPre=+/usr/bin/install -d -m 0700 /var/racoon")
                .And.Contain("NoNewPrivileges=yes").And.Contain("ProtectSystem=strict").And.Contain("ReadWritePaths=/run /var/racoon")
                .And.Contain("ProtectHome=yes").And.Contain("PrivateTmp=yes")
                .And.Contain("RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK AF_KEY").And.Contain("SystemCallFilter=@system-service"));
            Assert.That(setkey, Does.Contain("CapabilityBoundingSet=CAP_NET_ADMIN").And.Contain("NoNewPrivileges=yes")
                .And.Contain("ProtectSystem=strict").And.Contain("SystemCallFilter=@system-service"));
        });

        // systemd's own checker, on this machine: the binaries are not installed here, so
        // its only complaint may be their absence.
        if (!Command.Exists("systemd-analyze"))
            return;
        var verify = Command.Run(["systemd-analyze", "verify", "--man=no",
            Path.Combine(units, "setkey.service"), Path.Combine(units, "racoon.service")]);
        var complaints = (verify.StdOut + verify.StdErr).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.Contains("Command /usr/sbin/setkey is not executable", StringComparison.Ordinal)
                        && !line.Contains("Command /usr/sbin/racoon is not executable", StringComparison.Ordinal));
        Assert.That(complaints, Is.Empty, verify.Output);
    }

    /// <summary>The .deb's files, unpacked with dpkg-deb -x (once per fixture).</summary>
    private string Unpacked()
    {
        var tree = Path.Combine(workDirectory, "unpacked");
        if (!Directory.Exists(tree))
            Command.Check(["dpkg-deb", "-x", packages.Deb, tree]);
        return tree;
    }

    /// <summary>
    /// One root with the package installed, shared by the tests that only run the installed
    /// tools (each in a namespace of its own, so they cannot disturb one another).
    /// </summary>
    private DebianChroot InstalledRoot()
    {
        if (installedRoot != null)
            return installedRoot;
        var chroot = DebianChroot.Create();
        var install = chroot.AptInstall(chroot.CopyIn(packages.Deb));
        if (install.ExitCode != 0)
        {
            chroot.Dispose();
            Assert.Fail($"apt install of the .deb failed:\n{install.Output}");
        }
        return installedRoot = chroot;
    }

    /// <summary>Processes whose root directory is the chroot (a daemon a maintainer script started).</summary>
    private static List<string> ProcessesRootedIn(string root)
    {
        var found = new List<string>();
        foreach (var proc in Directory.GetDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)))
        {
            try
            {
                if (new DirectoryInfo(Path.Combine(proc, "root")).LinkTarget == root)
                    found.Add($"{Path.GetFileName(proc)} {File.ReadAllText(Path.Combine(proc, "comm")).Trim()}");
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }
}
