using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Keyd.Config;

/// <summary>
/// `racoon -C`: the remote sections as racoon's <c>dump_rmconf_single</c> prints them, in the order
/// they were defined (the output is informational; `exchange_type` is not input syntax). A kernel interface
/// chosen by `--kernel`, KERNELIPSEC_KERNEL or racoon.conf's `kernel` statement comes first, as that statement.
/// </summary>
public static class ConfigDumper
{
    /// <param name="kernel">The effective kernel choice; printed unless it is <see cref="KernelChoice.Default"/> (so a plain racoon.conf dumps as racoon's -C).</param>
    public static void Dump(RacoonConfig config, TextWriter output, KernelChoice? kernel = null)
    {
        if (kernel is not null && kernel != KernelChoice.Default)
        {
            output.WriteLine($"/* KernelIpsec extension, from {kernel.Source} */");
            output.WriteLine($"kernel {KernelChoice.Keyword(kernel.Interface)};");
            output.WriteLine();
        }
        foreach (var remote in config.Remotes)
            DumpRemote(remote, output);
    }

    private static string Switch(bool on) => on ? "on" : "off";

    private static string Tri(Tristate t) => t switch { Tristate.Force => "force", Tristate.On => "on", _ => "off" };

    private static void DumpRemote(RemoteConfig r, TextWriter o)
    {
        o.Write($"remote \"{r.Name}\"");
        if (r.Inherits is not null)
            o.Write($" inherit \"{r.Inherits}\"");
        o.WriteLine(" {");
        o.WriteLine($"\texchange_type {string.Join(", ", r.ExchangeModes.Select(m => m.ToString().ToLowerInvariant()))};");
        o.WriteLine("\tdoi ipsec_doi;");
        if (r.MyIdentifier.Type == IdentifierType.Asn1Dn)
        {
            o.WriteLine("\tmy_identifier asn1dn;");
            o.WriteLine($"\tcertificate_type {(r.CertificateType?.Kind == CertificateKind.X509 ? "x509" : "*UNKNOWN*")} \"{r.CertificateType?.Certificate}\" \"{r.CertificateType?.PrivateKey}\";");
            switch (r.PeersCertFile?.Kind)
            {
                case null:
                    o.WriteLine("\t/* peers certificate from payload */");
                    break;
                case CertificateKind.X509:
                    o.WriteLine($"\tpeers_certfile \"{r.PeersCertFile.File}\";");
                    break;
                case CertificateKind.Dnssec:
                    o.WriteLine("\tpeers_certfile dnssec;");
                    break;
                default:
                    o.WriteLine("\tpeers_certfile *UNKNOWN* (1)");
                    break;
            }
        }
        else
        {
            var keyword = r.MyIdentifier.Type switch { IdentifierType.KeyIdTag => "keyid", _ => r.MyIdentifier.Keyword };
            o.WriteLine(r.MyIdentifier.Value is null ? $"\tmy_identifier {keyword};" : $"\tmy_identifier {keyword} \"{r.MyIdentifier.Value}\";");
            foreach (var id in r.PeersIdentifiers)
            {
                var k = id.Type == IdentifierType.KeyIdTag ? "keyid" : id.Keyword;
                o.WriteLine(id.Value is null ? $"\tpeers_identifier {k};" : $"\tpeers_identifier {k} \"{id.Value}\";");
            }
        }
        o.WriteLine($"\trekey {Tri(r.Rekey)};");
        o.WriteLine($"\tsend_cert {Switch(r.SendCertificate)};");
        o.WriteLine($"\tsend_cr {Switch(r.SendCertificateRequest)};");
        o.WriteLine($"\tmatch_empty_cr {Switch(r.MatchEmptyCertificateRequest)};");
        o.WriteLine($"\tverify_cert {Switch(r.VerifyCertificate)};");
        o.WriteLine($"\tverify_identifier {Switch(r.VerifyIdentifier)};");
        o.WriteLine($"\tnat_traversal {Tri(r.NatTraversal)};");
        o.WriteLine($"\tnonce_size {r.NonceSize};");
        o.WriteLine($"\tpassive {Switch(r.Passive)};");
        o.WriteLine($"\tike_frag {Tri(r.IkeFragmentation)};");
        o.WriteLine($"\tesp_frag {r.EspFragment};");
        o.WriteLine($"\tinitial_contact {Switch(r.InitialContact)};");
        o.WriteLine($"\tgenerate_policy {r.GeneratePolicy.ToString().ToLowerInvariant()};");
        o.WriteLine($"\tsupport_proxy {Switch(r.SupportProxy)};");
        for (var i = 0; i < r.Proposals.Count; i++)
        {
            var p = r.Proposals[i];
            o.WriteLine();
            o.WriteLine($"\t/* prop_no=1, trns_no={i + 1} */");
            o.WriteLine("\tproposal {");
            o.WriteLine($"\t\tlifetime time {(long)p.EffectiveLifetime(r).TotalSeconds} sec;");
            o.WriteLine("\t\tlifetime bytes 0;");
            o.WriteLine($"\t\tdh_group {AlgorithmNames.Name(p.DhGroup)};");
            o.WriteLine($"\t\tencryption_algorithm {AlgorithmNames.Name(p.Encryption.Algorithm)};");
            o.WriteLine($"\t\thash_algorithm {AlgorithmNames.Name(p.Hash)};");
            o.WriteLine($"\t\tauthentication_method {AlgorithmNames.Name(p.AuthenticationMethod)};");
            o.WriteLine("\t}");
        }
        o.WriteLine("}");
        o.WriteLine();
    }
}
