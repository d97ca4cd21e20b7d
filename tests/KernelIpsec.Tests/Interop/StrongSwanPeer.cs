using System.Diagnostics;
using KernelIpsec.Tests.Infrastructure;

namespace KernelIpsec.Tests.Interop;

/// <summary>
/// strongSwan charon as an IKEv1 reference peer inside one test namespace. charon runs under
/// `unshare -m` with its own /run, /etc/strongswan.conf and /etc/swanctl bind-mounted from the
/// state directory, so two instances (left and right) never share a pid file or vici socket;
/// swanctl reaches it with nsenter into the same mounts.
/// </summary>
public sealed partial class StrongSwanPeer : IDisposable
{
    private const string CharonBinary = "/usr/lib/ipsec/charon";

    private readonly TestNetns ns;
    private readonly string stateDir;
    private readonly int pid;

    public string LogPath => Path.Combine(stateDir, "charon.log");

    private StrongSwanPeer(TestNetns ns, string stateDir, int pid)
    {
        this.ns = ns;
        this.stateDir = stateDir;
        this.pid = pid;
    }

    public static bool IsInstalled => File.Exists(CharonBinary) && File.Exists("/usr/sbin/swanctl");

    /// <param name="startAction">trap: traffic triggers IKE; none: respond only; start: initiate at once.
    /// Facing a peer behind a masquerade (a road warrior, `remote_addrs = %any`) charon never traps.</param>
    /// <param name="natKeepalive">charon's `keep_alive` (NAT keepalive interval when it is behind a NAT; 20 s unless set).</param>
    public static StrongSwanPeer Start(TestNetns ns, InteropVariant variant, bool isLeft, string stateDir,
        TestPki? pki, string startAction = "trap", TimeSpan? natKeepalive = null)
    {
        var swanctl = SwanctlDirectory(stateDir);
        File.WriteAllText(Path.Combine(stateDir, "strongswan.conf"), StrongSwanConf(stateDir, natKeepalive));

        var side = isLeft ? "left" : "right";
        if (variant.Auth == "rsa")
        {
            ArgumentNullException.ThrowIfNull(pki);
            File.Copy(Path.Combine(pki.Directory, "ca.crt"), Path.Combine(swanctl, "x509ca", "ca.crt"), true);
            File.Copy(Path.Combine(pki.Directory, side + ".crt"), Path.Combine(swanctl, "x509", side + ".crt"), true);
            File.Copy(Path.Combine(pki.Directory, side + ".key"), Path.Combine(swanctl, "private", side + ".key"), true);
        }
        File.WriteAllText(Path.Combine(swanctl, "swanctl.conf"), SwanctlConf(variant, isLeft, pki, startAction));

        return Launch(ns, stateDir);
    }

    /// <summary>stateDir/swanctl with the subdirectories swanctl --load-all reads.</summary>
    private static string SwanctlDirectory(string stateDir)
    {
        var swanctl = Path.Combine(stateDir, "swanctl");
        foreach (var sub in new[] { "x509", "x509ca", "private", "conf.d", "pubkey", "rsa", "pkcs8", "x509crl" })
            Directory.CreateDirectory(Path.Combine(swanctl, sub));
        return swanctl;
    }

    /// <summary>Starts charon on the strongswan.conf and swanctl/ already written in <paramref name="stateDir"/> and loads swanctl.conf.</summary>
    private static StrongSwanPeer Launch(TestNetns ns, string stateDir)
    {
        var run = Path.Combine(stateDir, "run");
        Directory.CreateDirectory(run);
        var script = "set -e; mount --bind \"$1/run\" /run; mount --bind \"$1/strongswan.conf\" /etc/strongswan.conf; " +
                     "mount --bind \"$1/swanctl\" /etc/swanctl; exec \"$2\" > \"$1/daemon.out\" 2>&1 < /dev/null";
        var psi = new ProcessStartInfo("ip")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "netns", "exec", ns.Name, "unshare", "-m", "--propagation", "private", "bash", "-c", script, "_", stateDir, CharonBinary })
            psi.ArgumentList.Add(a);
        using var launcher = Process.Start(psi) ?? throw new InvalidOperationException("cannot start charon");

        var pidFile = Path.Combine(run, "charon.pid");
        var vici = Path.Combine(run, "charon.vici");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(File.Exists(vici) && File.Exists(pidFile) && new FileInfo(pidFile).Length > 0))
        {
            if (DateTime.UtcNow > deadline || launcher.HasExited)
                throw new InvalidOperationException($"charon did not come up in {ns.Name}: {Tail(Path.Combine(stateDir, "daemon.out"))} {Tail(Path.Combine(stateDir, "charon.log"))}");
            Thread.Sleep(100);
        }
        var peer = new StrongSwanPeer(ns, stateDir, int.Parse(File.ReadAllText(pidFile).Trim()));
        var load = peer.Ctl("--load-all --noprompt");
        if (load.ExitCode != 0)
        {
            peer.Dispose();
            throw new InvalidOperationException($"swanctl --load-all failed: {load.StdOut}{load.StdErr}");
        }
        return peer;
    }

    /// <summary>Runs swanctl inside charon's namespaces.</summary>
    public Shell.Result Ctl(string arguments) => Shell.TryRun("nsenter", $"-t {pid} -n -m swanctl {arguments}");

    public Shell.Result Initiate(int timeoutSeconds = 30) => Ctl($"--initiate --child kernelipsec --timeout {timeoutSeconds}");

    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    /// <summary>How many IKE SAs (phase 1) this charon set up so far: its log's "IKE_SA NAME[N] established between" lines.</summary>
    public int IkeSasEstablished => System.Text.RegularExpressions.Regex.Count(Log, @"IKE_SA \S+ established between");

    public void Dispose()
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            p.Kill();
            p.WaitForExit(5000);
        }
        catch (ArgumentException)
        {
            // already gone
        }
        ns.TryExec("ip xfrm state flush");
        ns.TryExec("ip xfrm policy flush");
    }

    private static string Tail(string path) => File.Exists(path) ? string.Join('\n', File.ReadAllLines(path).TakeLast(15)) : "";

    private static string StrongSwanConf(string stateDir, TimeSpan? natKeepalive) => $$"""
        charon {
          {{(natKeepalive is { } k ? $"keep_alive = {(int)k.TotalSeconds}s" : "")}}
          load_modular = no
          load = random nonce openssl aes sha1 sha2 md5 hmac gmp pem pkcs1 pkcs8 x509 pubkey revocation constraints kernel-netlink socket-default vici
          install_routes = no
          install_virtual_ip = no
          i_dont_care_about_security_and_use_aggressive_mode_psk = yes
          retransmit_timeout = 4.0
          retransmit_tries = 3
          filelog {
            test {
              path = {{stateDir}}/charon.log
              time_format = %H:%M:%S
              time_add_ms = yes
              append = no
              flush_line = yes
              default = 1
              ike = 2
              cfg = 2
              knl = 1
            }
          }
          syslog {
            daemon {
              default = -1
            }
          }
          plugins {
            vici {
              socket = unix:///run/charon.vici
            }
          }
        }
        swanctl {
          load = random nonce openssl pem pkcs1 pkcs8 x509 pubkey
        }
        """;

    private static string SwanctlConf(InteropVariant v, bool isLeft, TestPki? pki, string startAction)
    {
        var localIp = v.Addresses.Own(isLeft);
        // A peer behind a masquerade has no address or port known in advance: a road warrior, and a trap
        // policy towards %any would catch everything.
        var remoteIp = v.IsRoadWarrior(!isLeft) ? "%any" : v.Addresses.Seen(!isLeft);
        if (v.IsRoadWarrior(!isLeft) && startAction == "trap")
            startAction = "none";
        var side = isLeft ? "left" : "right";
        var rsa = v.Auth == "rsa";
        var auth = rsa ? "pubkey" : "psk";
        // With certificates charon takes its ID from its certificate's subject, byte for byte.
        var localId = rsa ? "" : $"id = \"{v.StrongSwanId(isLeft, pki)}\"";
        var tunnel = v.Mode == "tunnel";
        var localTs = tunnel ? (isLeft ? InteropVariant.LeftNet : InteropVariant.RightNet) : "dynamic";
        var remoteTs = tunnel ? (isLeft ? InteropVariant.RightNet : InteropVariant.LeftNet) : "dynamic";
        var secrets = rsa ? "" : $$"""
            secrets {
              ike-kernelipsec {
                id-a = "{{v.StrongSwanId(true, pki)}}"
                id-b = "{{v.StrongSwanId(false, pki)}}"
                secret = "{{InteropVariant.PreSharedKey}}"
              }
            }
            """;
        return $$"""
            connections {
              kernelipsec {
                version = 1
                aggressive = {{(v.Exchange == "aggressive" ? "yes" : "no")}}
                local_addrs = {{localIp}}
                remote_addrs = {{remoteIp}}
                proposals = {{v.StrongSwanIke}}
                # no forced UDP encapsulation: behind a NAT, charon detects it (NAT-D) and floats to 4500
                encap = no
                dpd_delay = 0
                unique = never
                rekey_time = 4h
                reauth_time = 0
                keyingtries = 1
                local {
                  auth = {{auth}}
                  {{localId}}
                  {{(rsa ? $"certs = {side}.crt" : "")}}
                }
                remote {
                  auth = {{auth}}
                  id = "{{v.StrongSwanId(!isLeft, pki)}}"
                  {{(rsa ? "cacerts = ca.crt" : "")}}
                }
                children {
                  kernelipsec {
                    mode = {{v.Mode}}
                    local_ts = {{localTs}}
                    remote_ts = {{remoteTs}}
                    esp_proposals = {{v.StrongSwanEsp}}
                    start_action = {{startAction}}
                    close_action = none
                    rekey_time = 1h
                    life_time = 66m
                  }
                }
              }
            }
            {{secrets}}
            """;
    }
}
