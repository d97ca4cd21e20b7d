using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using KernelIpsec.Tests.Infrastructure;

namespace KernelIpsec.Tests.Interop;

/// <summary>
/// libreswan 4.10 pluto (IKEv1 only) as a reference peer inside one test namespace. Its Debian package
/// conflicts with strongSwan's, so vm/install-deps.sh unpacks it into /opt/libreswan and it runs from
/// there: under `unshare -m` with the state directory's run/ bind-mounted on /run, and a tmpfs on
/// /usr/libexec holding only the link ipsec -&gt; /opt/libreswan/usr/libexec/ipsec (pluto execs its
/// compiled-in /usr/libexec/ipsec/addconn at start-up). Config, secrets, NSS database and log are
/// passed as options into the state directory; whack reaches it through that ctl socket.
/// </summary>
public sealed partial class LibreswanPeer : IDisposable
{
    public const string ConnectionName = "kernelipsec";

    private static readonly string Root = Environment.GetEnvironmentVariable("LIBRESWAN_ROOT") ?? "/opt/libreswan";
    private static string Bin => Path.Combine(Root, "usr", "libexec", "ipsec");

    private readonly TestNetns ns;
    private readonly string stateDir;
    private readonly int pid;

    public string LogPath => Path.Combine(stateDir, "pluto.log");

    private string CtlSocket => Path.Combine(stateDir, "run", "pluto", "pluto.ctl");

    private LibreswanPeer(TestNetns ns, string stateDir, int pid)
    {
        this.ns = ns;
        this.stateDir = stateDir;
        this.pid = pid;
    }

    public static bool IsInstalled =>
        File.Exists(Path.Combine(Bin, "pluto")) && File.Exists(Path.Combine(Bin, "whack")) && File.Exists("/usr/bin/certutil");

    /// <param name="auto">ondemand: traffic triggers IKE (trap policies); add: respond only; start: initiate at once.
    /// Facing a peer behind a masquerade (`right=%any`) pluto can only respond.</param>
    public static LibreswanPeer Start(TestNetns ns, InteropVariant variant, bool isLeft, string stateDir, TestPki? pki, string auto = "ondemand")
    {
        var run = Path.Combine(stateDir, "run", "pluto");
        var nss = Path.Combine(stateDir, "nss");
        Directory.CreateDirectory(run);
        Directory.CreateDirectory(nss);
        Directory.CreateDirectory(Path.Combine(stateDir, "ipsec.d"));
        if (variant.IsRoadWarrior(!isLeft) && auto == "ondemand")
            auto = "add";
        File.WriteAllText(Path.Combine(stateDir, "ipsec.conf"), IpsecConf(variant, isLeft, pki, auto, stateDir));
        var secrets = Path.Combine(stateDir, "ipsec.secrets");
        File.WriteAllText(secrets, Secrets(variant, isLeft));
        File.SetUnixFileMode(secrets, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        PrepareNss(nss, variant, isLeft, pki, stateDir);

        var script = "set -e; mount --bind \"$1/run\" /run; mount -t tmpfs -o mode=755 kernelipsec-libexec /usr/libexec; " +
                     "ln -s \"$2\" /usr/libexec/ipsec; " +
                     "exec \"$2/pluto\" --nofork --config \"$1/ipsec.conf\" --secretsfile \"$1/ipsec.secrets\" --nssdir \"$1/nss\" " +
                     "--ipsecdir \"$1/ipsec.d\" --rundir /run/pluto --logfile \"$1/pluto.log\" > \"$1/daemon.out\" 2>&1 < /dev/null";
        var psi = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "netns", "exec", ns.Name, "unshare", "-m", "--propagation", "private", "bash", "-c", script, "_", stateDir, Bin })
            psi.ArgumentList.Add(a);
        using var launcher = Process.Start(psi) ?? throw new InvalidOperationException("cannot start pluto");

        var pidFile = Path.Combine(run, "pluto.pid");
        var socket = Path.Combine(run, "pluto.ctl");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(File.Exists(socket) && File.Exists(pidFile) && new FileInfo(pidFile).Length > 0))
        {
            if (DateTime.UtcNow > deadline || launcher.HasExited)
                throw new InvalidOperationException($"pluto did not come up in {ns.Name}: {Tail(Path.Combine(stateDir, "daemon.out"))} {Tail(Path.Combine(stateDir, "pluto.log"))}");
            Thread.Sleep(100);
        }
        var peer = new LibreswanPeer(ns, stateDir, int.Parse(File.ReadAllText(pidFile).Trim()));
        try
        {
            peer.WaitForConnection();
        }
        catch
        {
            peer.Dispose();
            throw;
        }
        return peer;
    }

    /// <summary>Runs whack against this pluto.</summary>
    public Shell.Result Whack(string arguments) => Shell.TryRun(Path.Combine(Bin, "whack"), $"--ctlsocket {CtlSocket} {arguments}");

    public Shell.Result Initiate() => Whack($"--name {ConnectionName} --initiate");

    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    /// <summary>How many ISAKMP SAs (phase 1) this pluto set up so far, from its log.</summary>
    public int IsakmpSasEstablished => IsakmpEstablished().Count(Log);

    public void Dispose()
    {
        Whack("--shutdown");
        try
        {
            using var p = Process.GetProcessById(pid);
            if (!p.WaitForExit(5000))
            {
                p.Kill();
                p.WaitForExit(5000);
            }
        }
        catch (ArgumentException)
        {
            // already gone
        }
        ns.TryExec("ip xfrm state flush");
        ns.TryExec("ip xfrm policy flush");
    }

    /// <summary>pluto adds its connections itself at start-up (addconn --autoall); wait for ours, else add it.</summary>
    private void WaitForConnection()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var log = Log;
            if (log.Contains($"\"{ConnectionName}\": added IKEv1 connection", StringComparison.Ordinal))
                return;
            if (log.Contains($"\"{ConnectionName}\": failed to add connection", StringComparison.Ordinal))
                throw new InvalidOperationException($"pluto in {ns.Name} rejected the connection:\n{log}");
            Thread.Sleep(200);
        }
        var add = Shell.TryRun(Path.Combine(Bin, "addconn"), $"--config {Path.Combine(stateDir, "ipsec.conf")} --ctlsocket {CtlSocket} --autoall");
        var status = Whack("--status");
        if (!status.StdOut.Contains($"\"{ConnectionName}\"", StringComparison.Ordinal))
            throw new InvalidOperationException($"pluto in {ns.Name} has no connection {ConnectionName}: {add.StdOut}{add.StdErr}\n{Log}");
    }

    private static string IpsecConf(InteropVariant v, bool isLeft, TestPki? pki, string auto, string stateDir)
    {
        var rsa = v.Auth == "rsa";
        var (leftId, rightId) = v.IdType switch
        {
            "fqdn" => ("@" + (isLeft ? InteropVariant.LeftFqdn : InteropVariant.RightFqdn), "@" + (isLeft ? InteropVariant.RightFqdn : InteropVariant.LeftFqdn)),
            "asn1dn" => ("%fromcert", $"\"{(isLeft ? pki!.RightSubject : pki!.LeftSubject)}\""),
            _ => (v.Addresses.Own(isLeft), v.Addresses.Own(!isLeft)),
        };
        var conf = new StringBuilder();
        conf.AppendLine($"# libreswan for {(isLeft ? "left" : "right")}, variant {v.Name}");
        conf.AppendLine("config setup");
        conf.AppendLine("    ikev1-policy=accept");
        conf.AppendLine($"    logfile={stateDir}/pluto.log");
        conf.AppendLine("    logappend=no\n    logtime=yes\n    plutodebug=none\n    uniqueids=no\n    dumpdir=/run/pluto");
        conf.AppendLine();
        conf.AppendLine($"conn {ConnectionName}");
        conf.AppendLine("    ikev2=no");
        conf.AppendLine($"    type={v.Mode}");
        conf.AppendLine($"    left={v.Addresses.Own(isLeft)}");
        conf.AppendLine($"    leftid={leftId}");
        // A peer behind a masquerade is a road warrior: any address, any port.
        conf.AppendLine($"    right={(v.IsRoadWarrior(!isLeft) ? "%any" : v.Addresses.Seen(!isLeft))}");
        conf.AppendLine($"    rightid={rightId}");
        if (v.Mode == "tunnel")
        {
            conf.AppendLine($"    leftsubnet={(isLeft ? InteropVariant.LeftNet : InteropVariant.RightNet)}");
            conf.AppendLine($"    rightsubnet={(isLeft ? InteropVariant.RightNet : InteropVariant.LeftNet)}");
        }
        conf.AppendLine($"    authby={(rsa ? "rsasig" : "secret")}");
        if (rsa)
            conf.AppendLine($"    leftcert={(isLeft ? "left" : "right")}\n    leftsendcert=always\n    rightca=%same");
        conf.AppendLine($"    aggressive={(v.Exchange == "aggressive" ? "yes" : "no")}");
        conf.AppendLine($"    ike={v.LibreswanIke}\n    esp={v.LibreswanEsp}\n    pfs={(v.RacoonPfsGroup != null ? "yes" : "no")}");
        conf.AppendLine("    ikelifetime=4h\n    salifetime=1h");
        // NAT variants: NAT-T detected by NAT-D, RFC 3947 only (not the drafts); never forced.
        conf.AppendLine(v.Nat != NatSide.None ? "    encapsulation=auto\n    nat-ikev1-method=rfc" : "    encapsulation=no");
        conf.AppendLine("    leftupdown=%disabled\n    keyingtries=1");
        conf.AppendLine($"    auto={auto}");
        return conf.ToString();
    }

    private static string Secrets(InteropVariant v, bool isLeft) => v.Auth == "rsa" ? "" : v.IdType switch
    {
        "fqdn" => $"@{(isLeft ? InteropVariant.LeftFqdn : InteropVariant.RightFqdn)} @{(isLeft ? InteropVariant.RightFqdn : InteropVariant.LeftFqdn)} : PSK \"{InteropVariant.PreSharedKey}\"\n",
        _ => $"{v.Addresses.Own(isLeft)} {v.Addresses.Own(!isLeft)} : PSK \"{InteropVariant.PreSharedKey}\"\n",
    };

    /// <summary>An empty NSS database; for rsa this side's certificate and key (via PKCS#12) and the CA, trusted.</summary>
    private static void PrepareNss(string nss, InteropVariant v, bool isLeft, TestPki? pki, string stateDir)
    {
        foreach (var f in Directory.EnumerateFiles(nss))
            File.Delete(f);
        Run("certutil", $"-N -d sql:{nss} --empty-password");
        if (v.Auth != "rsa")
            return;
        ArgumentNullException.ThrowIfNull(pki);
        var side = isLeft ? "left" : "right";
        var p12 = Path.Combine(stateDir, side + ".p12");
        Run("openssl", $"pkcs12 -export -in {Path.Combine(pki.Directory, side + ".crt")} -inkey {Path.Combine(pki.Directory, side + ".key")} -name {side} -passout pass:kernelipsec -out {p12}");
        Run("pk12util", $"-i {p12} -d sql:{nss} -W kernelipsec");
        Run("certutil", $"-A -d sql:{nss} -n kernelipsec-ca -t CT,, -a -i {Path.Combine(pki.Directory, "ca.crt")}");
    }

    private static void Run(string file, string arguments)
    {
        var r = Shell.TryRun(file, arguments);
        if (r.ExitCode != 0)
            throw new InvalidOperationException($"{file} {arguments} exited {r.ExitCode}: {r.StdOut}{r.StdErr}");
    }

    private static string Tail(string path) => File.Exists(path) ? string.Join('\n', File.ReadAllLines(path).TakeLast(15)) : "";

    [GeneratedRegex(@"(ISAKMP|IKE) SA established")]
    private static partial Regex IsakmpEstablished();
}
