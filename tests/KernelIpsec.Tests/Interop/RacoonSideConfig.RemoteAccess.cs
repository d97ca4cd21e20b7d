using KernelIpsec.Tests.Infrastructure;

namespace KernelIpsec.Tests.Interop;

/// <summary>
/// Our racoon in the remote-access roles, written as racoon's road-warrior samples and the shared rig's gen_ra do:
/// the server in left (`remote anonymous`, XAuth server, Mode Config pool, generate_policy, passive, `sainfo
/// anonymous`) or the client in left of a server in right (`xauth_login`, `mode_cfg on`). Both run phase1-hook.sh
/// for phase1_up and phase1_down; it records racoon's environment in DIR/EVENT.env, and on the client it also does
/// what racoon's samples/roadwarrior/client/phase1-up.sh does (racoon itself configures no address): the virtual IP
/// onto the interface and the tunnel's policies in place, removed again at phase1_down.
/// </summary>
public static partial class RacoonSideConfig
{
    /// <summary>What a remote-access racoon needs: its files, the admin socket, the accounts to bind-mount (server).</summary>
    public sealed record RemoteAccessFiles(string Directory, string RacoonConf, string Socket, IReadOnlyList<(string Source, string Target)> BindMounts)
    {
        /// <summary>The environment phase1-hook.sh recorded for an event (phase1_up, phase1_down), empty before it ran.</summary>
        public IReadOnlyDictionary<string, string> HookEnvironment(string evt)
        {
            var path = Path.Combine(Directory, evt + ".env");
            if (!File.Exists(path))
                return new Dictionary<string, string>();
            return File.ReadAllLines(path).Where(l => l.Contains('=', StringComparison.Ordinal))
                .Select(l => l.Split('=', 2)).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First()[1]);
        }
    }

    /// <summary>
    /// The XAuth + Mode Config server in left (10.77.0.1) for clients at <paramref name="clients"/>: pool 10.77.9.1
    /// and 9 more, DNS 10.77.9.53, `auth_source system` over the accounts of <see cref="RemoteAccess.WriteAccounts"/>.
    /// With <paramref name="hybridPki"/> it is a hybrid_rsa_server: it proves itself with left's certificate, the
    /// clients by XAuth only.
    /// </summary>
    public static RemoteAccessFiles WriteRemoteAccessServer(string directory, IReadOnlyList<string> clients, TestPki? hybridPki = null)
    {
        Directory.CreateDirectory(directory);
        var certs = Path.Combine(directory, "certs");
        if (hybridPki is not null)
        {
            Directory.CreateDirectory(certs);
            foreach (var f in new[] { "ca.crt", "left.crt", "left.key" })
                File.Copy(Path.Combine(hybridPki.Directory, f), Path.Combine(certs, f), true);
            File.SetUnixFileMode(Path.Combine(certs, "left.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        var identity = hybridPki is null
            ? $"\tmy_identifier address {NetnsPair.LeftAddress};\n"
            : "\tmy_identifier asn1dn;\n\tcertificate_type x509 \"left.crt\" \"left.key\";\n\tsend_cert on;\n";
        var remote = $$"""
            remote anonymous {
            	exchange_mode main;
            {{identity}}	lifetime time 4 hour;
            	proposal_check obey;
            	nat_traversal off;
            	generate_policy on;
            	passive on;
            	mode_cfg on;
            	script "phase1-hook.sh" phase1_up;
            	script "phase1-hook.sh" phase1_down;
            	proposal {
            		encryption_algorithm aes 128;
            		hash_algorithm sha1;
            		authentication_method {{(hybridPki is null ? "xauth_psk_server" : "hybrid_rsa_server")}};
            		dh_group modp2048;
            	}
            }
            mode_cfg {
            	network4 {{RemoteAccess.LeftPoolFirst}};
            	pool_size 10;
            	netmask4 255.255.255.0;
            	dns4 {{RemoteAccess.LeftDns}};
            	auth_source system;
            	conf_source local;
            }
            """;
        var files = WriteRemoteAccess(directory, NetnsPair.LeftAddress, remote, clients.Select(c => $"{c}\t{InteropVariant.PreSharedKey}"),
            hybridPki is null ? "" : $"path certificate \"{certs}\";\n", clientHook: "");
        return files with { BindMounts = RemoteAccess.WriteAccounts(directory) };
    }

    /// <summary>
    /// The XAuth + Mode Config client in left of the server in right (10.77.0.2), login <see cref="RemoteAccess.User"/>.
    /// psk.txt holds the pre-shared key only: the password comes from `racoonctl vpn-connect -u` on stdin. The hook
    /// puts the pushed address on veth-l and the tunnel VIP/32 &lt;-&gt; <paramref name="serverNet"/> in the SPD.
    /// </summary>
    public static RemoteAccessFiles WriteRemoteAccessClient(string directory, string serverNet)
    {
        Directory.CreateDirectory(directory);
        var remote = $$"""
            remote {{NetnsPair.RightAddress}} {
            	exchange_mode main;
            	my_identifier address {{NetnsPair.LeftAddress}};
            	peers_identifier address {{NetnsPair.RightAddress}};
            	verify_identifier on;
            	xauth_login "{{RemoteAccess.User}}";
            	mode_cfg on;
            	script "phase1-hook.sh" phase1_up;
            	script "phase1-hook.sh" phase1_down;
            	lifetime time 4 hour;
            	proposal_check obey;
            	nat_traversal off;
            	generate_policy off;
            	passive off;
            	initial_contact on;
            	proposal {
            		encryption_algorithm aes 128;
            		hash_algorithm sha1;
            		authentication_method xauth_psk_client;
            		dh_group modp2048;
            	}
            }
            """;
        var hook = $$"""
            [ -n "$INTERNAL_ADDR4" ] || exit 0
            exec 2>>"{{directory}}/$ev.err"
            case "$ev" in
              phase1_up)
                ip addr add "$INTERNAL_ADDR4/32" dev veth-l
                ip xfrm policy add src "$INTERNAL_ADDR4/32" dst {{serverNet}} dir out tmpl src "$LOCAL_ADDR" dst "$REMOTE_ADDR" proto esp mode tunnel level required
                ip xfrm policy add src {{serverNet}} dst "$INTERNAL_ADDR4/32" dir in tmpl src "$REMOTE_ADDR" dst "$LOCAL_ADDR" proto esp mode tunnel level required;;
              phase1_down)
                ip xfrm policy delete src "$INTERNAL_ADDR4/32" dst {{serverNet}} dir out
                ip xfrm policy delete src {{serverNet}} dst "$INTERNAL_ADDR4/32" dir in
                ip addr del "$INTERNAL_ADDR4/32" dev veth-l;;
            esac
            """;
        return WriteRemoteAccess(directory, NetnsPair.LeftAddress, remote, [$"{NetnsPair.RightAddress}\t{InteropVariant.PreSharedKey}"], "", hook);
    }

    private static RemoteAccessFiles WriteRemoteAccess(string directory, string local, string remote, IEnumerable<string> pskLines, string extraPaths, string clientHook)
    {
        var psk = Path.Combine(directory, "psk.txt");
        File.WriteAllLines(psk, pskLines);
        File.SetUnixFileMode(psk, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var socket = Path.Combine(directory, "racoon.sock");
        var conf = Path.Combine(directory, "racoon.conf");
        File.WriteAllText(conf, $$"""
            path pre_shared_key "{{psk}}";
            path pidfile "{{Path.Combine(directory, "racoon.pid")}}";
            path script "{{directory}}";
            {{extraPaths}}listen {
            	isakmp {{local}} [500];
            	adminsock "{{socket}}";
            }
            timer {
            	counter 5;
            	interval 4 sec;
            	phase1 30 sec;
            	phase2 20 sec;
            }
            {{remote}}
            sainfo anonymous {
            	pfs_group modp2048;
            	lifetime time 1 hour;
            	encryption_algorithm aes 128;
            	authentication_algorithm hmac_sha1;
            	compression_algorithm deflate;
            }

            """);
        // racoon runs the hook with nothing but its own variables in the environment.
        var hook = Path.Combine(directory, "phase1-hook.sh");
        File.WriteAllText(hook, $$"""
            #!/bin/sh
            PATH=/usr/sbin:/usr/bin:/sbin:/bin
            ev=${1:-none}
            { echo "ARGV1=$ev"; env | grep -Ev '^(PWD|OLDPWD|SHLVL|_)=' | sort; } > "{{directory}}/$ev.env.tmp" && mv -f "{{directory}}/$ev.env.tmp" "{{directory}}/$ev.env"
            {{clientHook}}
            exit 0

            """);
        File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return new RemoteAccessFiles(directory, conf, socket, []);
    }
}
