using System.Text;
using KernelIpsec.Tests.Infrastructure;

namespace KernelIpsec.Tests.Interop;

/// <summary>
/// Writes what our racoon needs for a variant, as a racoon user would write it:
/// racoon.conf, psk.txt (0600) and setkey.conf (policies only), plus certs/ for rsa.
/// isLeft chooses the side (left 10.77.0.1 or right 10.77.0.2), so keyd can face keyd too.
/// NAT variants (as racoon 0.8.2 needs them, see the shared rig's README): `nat_traversal on;`,
/// `isakmp_natt OWN [4500]` next to `isakmp OWN [500]` (with explicit listen addresses racoon opens
/// 4500 only when told), the own private address where the side is behind natbox, the peer at the
/// address this side sees it at, and, facing a peer behind the NAT, a second sainfo and policy pair
/// for the peer's own address: its quick mode IDs name that one, and a responding racoon looks its
/// policy up by them.
/// </summary>
public static partial class RacoonSideConfig
{
    public sealed record Files(string Directory, string RacoonConf, string PskTxt, string SetkeyConf);

    /// <param name="phase2Lifetime">The sainfo's `lifetime time` (1 hour unless a rekey test wants it short).</param>
    /// <param name="nattKeepalive">`timer { natt_keepalive N; }` (racoon's default is 20 s).</param>
    public static Files Write(string directory, InteropVariant v, bool isLeft, TestPki? pki, TimeSpan? phase2Lifetime = null,
        TimeSpan? nattKeepalive = null)
    {
        Directory.CreateDirectory(directory);
        var local = v.Addresses.Own(isLeft);
        var remote = v.Addresses.Seen(!isLeft);
        // The peer's address ID: its own address, which differs from `remote` when it is behind the NAT.
        var remoteOwn = v.Addresses.Own(!isLeft);
        var nat = v.Nat != NatSide.None;
        var side = isLeft ? "left" : "right";
        var rsa = v.Auth == "rsa";

        var psk = Path.Combine(directory, "psk.txt");
        var peerFqdn = isLeft ? InteropVariant.RightFqdn : InteropVariant.LeftFqdn;
        var pskLines = $"# peer identifier and key; racoon wants mode 0600\n{remote}\t{InteropVariant.PreSharedKey}\n{peerFqdn}\t{InteropVariant.PreSharedKey}\n";
        if (remoteOwn != remote)
            pskLines += $"{remoteOwn}\t{InteropVariant.PreSharedKey}\n";
        File.WriteAllText(psk, pskLines);
        File.SetUnixFileMode(psk, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var certs = Path.Combine(directory, "certs");
        if (rsa)
        {
            ArgumentNullException.ThrowIfNull(pki);
            Directory.CreateDirectory(certs);
            foreach (var f in new[] { "ca.crt", side + ".crt", side + ".key" })
                File.Copy(Path.Combine(pki.Directory, f), Path.Combine(certs, f), true);
            File.SetUnixFileMode(Path.Combine(certs, side + ".key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var (myId, peersId) = v.IdType switch
        {
            "fqdn" => ($"fqdn \"{(isLeft ? InteropVariant.LeftFqdn : InteropVariant.RightFqdn)}\"", $"fqdn \"{peerFqdn}\""),
            "asn1dn" => ("asn1dn", $"asn1dn \"{(isLeft ? pki!.RightSubject : pki!.LeftSubject)}\""),
            _ => ($"address {local}", $"address {remoteOwn}"),
        };

        var conf = new StringBuilder();
        conf.AppendLine($"# racoon.conf for {side} ({local}), variant {v.Name}");
        conf.AppendLine(rsa ? $"path certificate \"{certs}\";" : $"path pre_shared_key \"{psk}\";");
        // Two racoons in one machine (left and right namespaces) must not share /var/run/racoon.pid.
        conf.AppendLine($"path pidfile \"{Path.Combine(directory, "racoon.pid")}\";");
        var natt = nat ? $"\tisakmp_natt {local} [4500];\n" : "";
        conf.AppendLine($"listen {{\n\tisakmp {local} [500];\n{natt}\tadminsock \"{Path.Combine(directory, "racoon.sock")}\";\n}}");
        var keepalive = nattKeepalive is { } k ? $"\tnatt_keepalive {(int)k.TotalSeconds} sec;\n" : "";
        conf.AppendLine($"timer {{\n\tcounter 5;\n\tinterval 4 sec;\n\tphase1 30 sec;\n\tphase2 30 sec;\n{keepalive}}}");
        conf.AppendLine($"remote {remote} {{");
        conf.AppendLine($"\texchange_mode {v.Exchange};");
        conf.AppendLine($"\tmy_identifier {myId};");
        conf.AppendLine($"\tpeers_identifier {peersId};");
        conf.AppendLine("\tverify_identifier on;");
        if (rsa)
        {
            conf.AppendLine($"\tcertificate_type x509 \"{side}.crt\" \"{side}.key\";");
            conf.AppendLine("\tca_type x509 \"ca.crt\";");
            conf.AppendLine("\tverify_cert on;\n\tsend_cert on;\n\tsend_cr on;");
        }
        conf.AppendLine($"\tlifetime time 4 hour;\n\tproposal_check obey;\n\tnat_traversal {(nat ? "on" : "off")};\n\tgenerate_policy off;\n\tpassive off;\n\tinitial_contact on;");
        conf.AppendLine("\tproposal {");
        conf.AppendLine($"\t\tencryption_algorithm {v.RacoonEncryption};");
        conf.AppendLine($"\t\thash_algorithm {v.RacoonHash};");
        conf.AppendLine($"\t\tauthentication_method {(rsa ? "rsasig" : "pre_shared_key")};");
        conf.AppendLine($"\t\tdh_group {v.RacoonDhGroup};");
        conf.AppendLine("\t}\n}");
        var (localNet, remoteNet) = v.Mode == "tunnel"
            ? (isLeft ? InteropVariant.LeftNet : InteropVariant.RightNet, isLeft ? InteropVariant.RightNet : InteropVariant.LeftNet)
            : (local, remote);
        // Transport mode facing a peer behind the NAT: its quick mode IDs name its own address.
        var secondPair = v.Mode != "tunnel" && remoteOwn != remote;
        foreach (var peerNet in secondPair ? new[] { remoteNet, remoteOwn } : [remoteNet])
        {
            conf.AppendLine($"sainfo address {localNet} any address {peerNet} any {{");
            if (v.RacoonPfsGroup != null)
                conf.AppendLine($"\tpfs_group {v.RacoonPfsGroup};");
            conf.AppendLine($"\tlifetime time {(phase2Lifetime is { } l ? $"{(int)l.TotalSeconds} sec" : "1 hour")};\n\tencryption_algorithm {v.RacoonPhase2Encryption};\n\tauthentication_algorithm {v.RacoonPhase2Auth};\n\tcompression_algorithm deflate;\n}}");
        }
        var racoonConf = Path.Combine(directory, "racoon.conf");
        File.WriteAllText(racoonConf, conf.ToString());

        var setkey = v.Mode == "tunnel"
            ? $"flush;\nspdflush;\nspdadd {localNet} {remoteNet} any -P out ipsec esp/tunnel/{local}-{remote}/require;\n" +
              $"spdadd {remoteNet} {localNet} any -P in ipsec esp/tunnel/{remote}-{local}/require;\n"
            : $"flush;\nspdflush;\nspdadd {local} {remote} any -P out ipsec esp/transport//require;\n" +
              $"spdadd {remote} {local} any -P in ipsec esp/transport//require;\n";
        if (secondPair)
        {
            setkey += "# the peer behind the NAT: the policy a responding racoon finds by its quick mode IDs (its own address)\n" +
                      $"spdadd {local} {remoteOwn} any -P out ipsec esp/transport//require;\n" +
                      $"spdadd {remoteOwn} {local} any -P in ipsec esp/transport//require;\n";
        }
        var setkeyConf = Path.Combine(directory, "setkey.conf");
        File.WriteAllText(setkeyConf, setkey);
        return new Files(directory, racoonConf, psk, setkeyConf);
    }
}
