namespace KernelIpsec.Tests.Packaging;

/// <summary>
/// A minimal Debian 12 root (debootstrap --variant=minbase bookworm) kept as a tarball under
/// /var/cache so a machine pays for debootstrap once; each test unpacks its own fresh copy
/// (<see cref="DebianChroot"/>). The mirror is the one this machine's apt uses. The image
/// is rebuilt when older than a week, so its package lists match what the mirror serves.
/// </summary>
public static class BookwormImage
{
    public const string CacheDirectory = "/var/cache/kernelipsec-packaging";
    public static readonly string Tarball = Path.Combine(CacheDirectory, "bookworm-minbase.tar");

    /// <summary>.debs apt fetched inside the chroots (libssl3), kept for later runs.</summary>
    public static readonly string AptArchives = Path.Combine(CacheDirectory, "apt-archives");

    private static readonly TimeSpan MaxAge = TimeSpan.FromDays(7);

    public static string EnsureCached()
    {
        System.IO.Directory.CreateDirectory(CacheDirectory);
        System.IO.Directory.CreateDirectory(AptArchives);
        using var lockFile = AcquireLock();
        if (File.Exists(Tarball) && DateTime.UtcNow - File.GetLastWriteTimeUtc(Tarball) < MaxAge)
            return Tarball;

        var build = Path.Combine(CacheDirectory, $"build-{Environment.ProcessId}");
        DebianChroot.RemoveTree(build);
        try
        {
            var root = Path.Combine(build, "root");
            // In a private mount namespace: the proc/sys mounts debootstrap makes inside the
            // target vanish with it even if it fails half-way.
            Command.Check(["unshare", "--mount", "--propagation", "private", "debootstrap", "--variant=minbase",
                "bookworm", root, Mirror()], timeoutMs: 1_800_000);
            Command.Check(["chroot", root, "apt-get", "clean"]);
            var partial = Tarball + ".partial";
            Command.Check(["tar", "-C", root, "-cf", partial, "."], timeoutMs: 600_000);
            File.Move(partial, Tarball, overwrite: true);
            return Tarball;
        }
        finally
        {
            DebianChroot.RemoveTree(build);
        }
    }

    /// <summary>The Debian mirror of this machine's apt sources (deb822 or one-line), else deb.debian.org.</summary>
    public static string Mirror()
    {
        var files = new List<string>();
        if (System.IO.Directory.Exists("/etc/apt/sources.list.d"))
            files.AddRange(System.IO.Directory.GetFiles("/etc/apt/sources.list.d", "*.sources").Order());
        if (File.Exists("/etc/apt/sources.list"))
            files.Add("/etc/apt/sources.list");
        foreach (var file in files)
        {
            foreach (var raw in File.ReadLines(file))
            {
                var line = raw.Trim();
                string[] words;
                if (line.StartsWith("URIs:", StringComparison.Ordinal))
                    words = line["URIs:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                else if (line.StartsWith("deb ", StringComparison.Ordinal))
                    words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Where(w => !w.StartsWith('[')).Take(1).ToArray();
                else
                    continue;
                var debian = words.FirstOrDefault(IsDebianArchive);
                if (debian != null)
                    return debian;
            }
        }
        return "http://deb.debian.org/debian";
    }

    // The main archive, not debian-security, debian-debug or a third party's repository.
    private static bool IsDebianArchive(string uri) =>
        uri.StartsWith("http", StringComparison.Ordinal) && uri.TrimEnd('/').EndsWith("/debian", StringComparison.Ordinal);

    private static FileStream AcquireLock()
    {
        var path = Path.Combine(CacheDirectory, ".lock");
        var deadline = DateTime.UtcNow.AddMinutes(30);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(1000);
            }
        }
    }
}
