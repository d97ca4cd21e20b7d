using KernelIpsec.Tests.Infrastructure;

namespace KernelIpsec.Tests.Interop;

/// <summary>
/// charon in the remote-access roles (IKEv1, main mode, PSK + XAuth through its xauth-generic plugin, Mode Config
/// pull): a road-warrior client (`vips = 0.0.0.0`, the virtual IP put on its interface, the DNS server recorded by
/// the resolve plugin in stateDir/resolv.conf) or an XAuth + Mode Config server with a pool. Nobody traps: the
/// client initiates its connection by name (<see cref="Connect"/>).
/// </summary>
public sealed partial class StrongSwanPeer
{
    /// <summary>One client connection: its name (IKE and child), the own address it starts from, its XAuth login.</summary>
    public sealed record RemoteAccessLogin(string Name, string LocalAddress, string User, string Password);

    /// <summary>resolv.conf as charon's resolve plugin left it (the Mode Config DNS servers it received).</summary>
    public string ResolvConf => File.Exists(Path.Combine(stateDir, "resolv.conf")) ? File.ReadAllText(Path.Combine(stateDir, "resolv.conf")) : "";

    /// <summary>
    /// charon as the road warrior of the server at <paramref name="server"/>, with one connection per login.
    /// With <paramref name="hybridCa"/> the server authenticates by certificate (its subject <paramref name="serverId"/>)
    /// and the client by XAuth only (hybrid, draft-ietf-ipsra-isakmp-hybrid-auth: `local { auth = xauth }` and
    /// `remote { auth = pubkey }`, charon's HybridInitRSA); otherwise both by the pre-shared key, then XAuth.
    /// </summary>
    public static StrongSwanPeer StartRemoteAccessClient(TestNetns ns, string stateDir, string server, string serverNet,
        IReadOnlyList<RemoteAccessLogin> logins, TestPki? hybridCa = null, string? serverId = null)
    {
        var swanctl = SwanctlDirectory(stateDir);
        WriteRemoteAccessStrongSwanConf(stateDir, client: true);
        if (hybridCa is not null)
            File.Copy(Path.Combine(hybridCa.Directory, "ca.crt"), Path.Combine(swanctl, "x509ca", "ca.crt"), true);
        var connections = string.Concat(logins.Select(l => $$"""
              {{l.Name}} {
                {{Common(l.LocalAddress, server)}}
                vips = 0.0.0.0
                local {
                  auth = {{(hybridCa is null ? "psk" : "xauth")}}
                  id = {{l.LocalAddress}}
                  {{(hybridCa is null ? "" : "xauth_id = " + l.User)}}
                }
                {{(hybridCa is null ? $"local-xauth {{\n      auth = xauth\n      xauth_id = {l.User}\n    }}" : "")}}
                remote {
                  auth = {{(hybridCa is null ? "psk" : "pubkey")}}
                  id = "{{serverId ?? server}}"
                  {{(hybridCa is null ? "" : "cacerts = ca.crt")}}
                }
                children {
                  {{l.Name}} {
                    local_ts = dynamic
                    remote_ts = {{serverNet}}
                    {{Child}}
                  }
                }
              }

            """));
        // Hybrid: no pre-shared key at all, the client proves itself by XAuth only.
        var ikeSecrets = hybridCa is not null ? "" : string.Concat(logins.Select(l => $$"""
              ike-{{l.Name}} {
                id-a = {{l.LocalAddress}}
                id-b = {{server}}
                secret = "{{InteropVariant.PreSharedKey}}"
              }

            """));
        var xauthSecrets = string.Concat(logins.Select(l => $$"""
              xauth-{{l.Name}} {
                id = {{l.User}}
                secret = "{{l.Password}}"
              }

            """));
        File.WriteAllText(Path.Combine(swanctl, "swanctl.conf"), $"connections {{\n{connections}}}\nsecrets {{\n{ikeSecrets}{xauthSecrets}}}\n");
        return Launch(ns, stateDir);
    }

    /// <summary>charon as the XAuth + Mode Config server of one client address: pool first-last with DNS, the LAN behind it.</summary>
    public static StrongSwanPeer StartRemoteAccessServer(TestNetns ns, string stateDir, string local, string client, string localNet,
        string poolFirst, string poolLast, string dns)
    {
        var swanctl = SwanctlDirectory(stateDir);
        WriteRemoteAccessStrongSwanConf(stateDir, client: false);
        File.WriteAllText(Path.Combine(swanctl, "swanctl.conf"), $$"""
            connections {
              rig {
                {{Common(local, client)}}
                pools = rigpool
                local {
                  auth = psk
                  id = {{local}}
                }
                remote {
                  auth = psk
                  id = {{client}}
                }
                remote-xauth {
                  auth = xauth
                }
                children {
                  rig {
                    local_ts = {{localNet}}
                    remote_ts = dynamic
                    {{Child}}
                  }
                }
              }
            }
            pools {
              rigpool {
                addrs = {{poolFirst}}-{{poolLast}}
                dns = {{dns}}
              }
            }
            secrets {
              ike-rig {
                id-a = {{local}}
                id-b = {{client}}
                secret = "{{InteropVariant.PreSharedKey}}"
              }
              xauth-rig {
                id = {{RemoteAccess.User}}
                secret = "{{RemoteAccess.Password}}"
              }
              xauth-rig2 {
                id = {{RemoteAccess.User2}}
                secret = "{{RemoteAccess.Password2}}"
              }
            }
            """);
        return Launch(ns, stateDir);
    }

    /// <summary>`swanctl --initiate --child NAME`: phase 1, XAuth, Mode Config and the quick mode of that connection.</summary>
    public Shell.Result Connect(string name, int timeoutSeconds = 60) => Ctl($"--initiate --child {name} --timeout {timeoutSeconds}");

    /// <summary>`swanctl --terminate --ike NAME`: charon deletes the connection's SAs and tells the peer.</summary>
    public Shell.Result Disconnect(string name) => Ctl($"--terminate --ike {name} --timeout 20");

    private static string Common(string local, string remote) => $"""
        version = 1
            local_addrs = {local}
            remote_addrs = {remote}
            proposals = {RemoteAccess.Ike}
            encap = no
            dpd_delay = 0
            unique = never
            rekey_time = 4h
            reauth_time = 0
            keyingtries = 1
        """;

    private const string Child = """
        mode = tunnel
                esp_proposals = aes128-sha1-modp2048
                start_action = none
                close_action = none
                rekey_time = 1h
                life_time = 66m
        """;

    /// <summary>strongswan.conf plus a second `charon { }` section (merged over the first): xauth-generic and resolve.</summary>
    private static void WriteRemoteAccessStrongSwanConf(string stateDir, bool client)
    {
        var conf = StrongSwanConf(stateDir, natKeepalive: null);
        var load = conf.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("load = random", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(stateDir, "resolv.conf"), "");
        File.WriteAllText(Path.Combine(stateDir, "strongswan.conf"), conf + $$"""

            charon {
              {{load}} xauth-generic resolve
              install_virtual_ip = {{(client ? "yes" : "no")}}
              plugins {
                resolve {
                  file = {{stateDir}}/resolv.conf
                }
              }
            }

            """);
    }
}
