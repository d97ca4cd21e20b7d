namespace KernelIpsec.Tests.Packaging;

/// <summary>
/// A fresh Debian 12 root unpacked from <see cref="BookwormImage"/> for one test, removed on
/// dispose. Commands run chrooted inside private mount and pid namespaces (with their own
/// /proc and /dev/pts), so nothing stays mounted when a command ends or the test dies.
/// </summary>
public sealed class DebianChroot : IDisposable
{
    public string Root { get; }

    private DebianChroot(string root) => Root = root;

    public static DebianChroot Create()
    {
        var tarball = BookwormImage.EnsureCached();
        var root = System.IO.Directory.CreateTempSubdirectory("kernelipsec-chroot-").FullName;
        try
        {
            Command.Check(["tar", "-C", root, "-xpf", tarball], timeoutMs: 600_000);
            return new DebianChroot(root);
        }
        catch
        {
            RemoveTree(root);
            throw;
        }
    }

    /// <summary>Where a path of the chroot lies on the host.</summary>
    public string HostPath(string pathInside) => Path.Combine(Root, pathInside.TrimStart('/'));

    /// <summary>Copies a host file into the chroot; returns its path there.</summary>
    public string CopyIn(string hostFile, string directoryInside = "/tmp")
    {
        var inside = Path.Combine(directoryInside, Path.GetFileName(hostFile));
        File.Copy(hostFile, HostPath(inside), overwrite: true);
        return inside;
    }

    /// <summary>
    /// apt-get or dpkg inside the chroot, with the network (apt may fetch dependencies).
    /// Downloads are shared between runs through <see cref="BookwormImage.AptArchives"/> by
    /// copying, never by mounting it: several checkouts may test at once on one machine and
    /// apt locks its archive directory.
    /// </summary>
    public Command.Result PackageTool(params string[] argv)
    {
        const string script =
            "root=$1; shift; " +
            "mount -t devpts -o newinstance,ptmxmode=0666 devpts \"$root/dev/pts\" && " +
            "exec chroot \"$root\" env DEBIAN_FRONTEND=noninteractive \"$@\"";
        var archives = HostPath("/var/cache/apt/archives");
        ShareDebs(BookwormImage.AptArchives, archives);
        var result = Command.Run(
            ["unshare", "--mount", "--pid", "--fork", $"--mount-proc={HostPath("/proc")}",
             "sh", "-c", script, "sh", Root, .. argv],
            timeoutMs: 900_000);
        ShareDebs(archives, BookwormImage.AptArchives);
        return result;
    }

    /// <summary>Copies the .debs <paramref name="to"/> lacks; each appears there whole or not at all.</summary>
    private static void ShareDebs(string from, string to)
    {
        foreach (var deb in System.IO.Directory.GetFiles(from, "*.deb"))
        {
            var target = Path.Combine(to, Path.GetFileName(deb));
            if (File.Exists(target))
                continue;
            var partial = $"{target}.{Environment.ProcessId}.partial";
            File.Copy(deb, partial, overwrite: true);
            File.Move(partial, target, overwrite: true);
        }
    }

    /// <summary>
    /// apt-get install of a .deb (a path inside the chroot). A failed download (the mirror
    /// mid-sync, a network hiccup) is retried once with fresh package lists; a failure of
    /// the package itself is returned as it is.
    /// </summary>
    public Command.Result AptInstall(string debInside)
    {
        string[] install = ["apt-get", "install", "-y", "--no-install-recommends", debInside];
        var result = PackageTool(install);
        if (result.ExitCode != 0 && (result.StdErr + result.StdOut).Contains("Failed to fetch", StringComparison.Ordinal))
        {
            PackageTool("apt-get", "update");
            result = PackageTool(install);
        }
        return result;
    }

    /// <summary>
    /// A program of the chroot in a fresh network namespace of its own (empty SAD and SPD,
    /// only loopback), as a freshly booted machine would have it.
    /// </summary>
    public Command.Result RunIsolated(string[] argv, string? stdin = null) =>
        Command.Run(["unshare", "--net", "--mount", "--pid", "--fork", $"--mount-proc={HostPath("/proc")}",
                     "chroot", Root, .. argv], stdin, timeoutMs: 120_000);

    /// <summary>Every path of the root with its type, mode and owner (kernel filesystems left out).</summary>
    public SortedSet<string> Snapshot()
    {
        var listing = Command.Check(["find", Root, "-xdev",
            "(", "-path", HostPath("/proc"), "-o", "-path", HostPath("/sys"), "-o", "-path", HostPath("/dev"),
            "-o", "-path", HostPath("/tmp"), "-o", "-path", HostPath("/run"), ")", "-prune",
            "-o", "-printf", "/%P %y %m %u:%g\\n"]);
        return new SortedSet<string>(listing.Split('\n', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
    }

    public void Dispose() => RemoveTree(Root);

    /// <summary>
    /// rm -rf that never crosses into another filesystem, and refuses while anything is
    /// still mounted below the tree (which would otherwise be emptied on the host).
    /// </summary>
    public static void RemoveTree(string path)
    {
        if (!System.IO.Directory.Exists(path))
            return;
        var prefix = path.TrimEnd('/') + "/";
        var mounted = File.ReadAllLines("/proc/self/mounts")
            .Select(line => line.Split(' ')[1])
            .Where(mountPoint => mountPoint.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
        if (mounted.Count > 0)
            throw new InvalidOperationException($"not removing {path}: still mounted there: {string.Join(", ", mounted)}");
        Command.Check(["rm", "-rf", "--one-file-system", path], timeoutMs: 600_000);
    }
}
