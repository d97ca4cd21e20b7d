using System.Security.Cryptography.X509Certificates;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Config.Certificates;
using KernelIpsec.Ike.Wire;
using AuthenticationMethod = KernelIpsec.Ike.Config.AuthenticationMethod;

namespace KernelIpsec.Keyd.Config;

/// <summary>
/// `racoon --check -f FILE`: parses the configuration and its includes, loads psk.txt (with racoon's
/// ownership/mode rule) and every certificate and key it names, and reports each problem as
/// `FILE:LINE:COL: error|warning: message`. Weak choices (DES, MD5, modp768, aggressive mode with a
/// pre-shared key) are warnings, not errors. Needs no root, kernel or network.
/// </summary>
public static class ConfigCheck
{
    /// <summary>Runs the check, printing to <paramref name="output"/>; returns the exit code (0 = no errors).</summary>
    public static int Run(string path, TextWriter output)
    {
        var diagnostics = Check(path);
        foreach (var d in diagnostics)
            output.WriteLine(d.ToString());
        var errors = diagnostics.Count(d => d.IsError);
        var warnings = diagnostics.Count - errors;
        output.WriteLine(errors == 0
            ? $"{path}: configuration OK ({warnings} warning{(warnings == 1 ? "" : "s")})"
            : $"{path}: {errors} error{(errors == 1 ? "" : "s")}, {warnings} warning{(warnings == 1 ? "" : "s")}");
        return errors == 0 ? 0 : 1;
    }

    /// <summary>Every diagnostic for the configuration at <paramref name="path"/>.</summary>
    public static IReadOnlyList<ConfigDiagnostic> Check(string path)
    {
        var result = RacoonConfLoader.Read(path);
        var diagnostics = new List<ConfigDiagnostic>(result.Diagnostics);
        if (result.Config is { } config)
        {
            CheckPreSharedKeys(config, diagnostics);
            foreach (var remote in config.Remotes)
            {
                CheckCredentials(config, remote, diagnostics);
                WarnWeakRemote(remote, diagnostics);
            }
            foreach (var sainfo in config.Sainfos)
                WarnWeakSainfo(sainfo, diagnostics);
        }
        return diagnostics;
    }

    private static void Error(List<ConfigDiagnostic> list, SourceLocation? at, string message) => list.Add(new(DiagnosticSeverity.Error, at, message));

    private static void Warn(List<ConfigDiagnostic> list, SourceLocation? at, string message) => list.Add(new(DiagnosticSeverity.Warning, at, message));

    private static bool UsesPsk(RemoteConfig remote) => remote.Proposals.Any(p => p.AuthenticationMethod is AuthenticationMethod.PreSharedKey or AuthenticationMethod.XauthPskClient or AuthenticationMethod.XauthPskServer);

    private static void CheckPreSharedKeys(RacoonConfig config, List<ConfigDiagnostic> list)
    {
        var pskRemotes = config.Remotes.Where(UsesPsk).ToList();
        if (config.Paths.PreSharedKey is not { } pskPath)
        {
            foreach (var remote in pskRemotes)
                Error(list, remote.Location, $"remote \"{remote.Name}\" uses pre_shared_key but no path pre_shared_key \"FILE\"; is configured");
            return;
        }
        var at = config.Paths.PreSharedKeyLocation;
        var table = PreSharedKeyFile.TryLoad(pskPath, out var problem, out var warnings);
        if (table is null)
        {
            Error(list, at, problem!);
            return;
        }
        foreach (var p in table.Problems)
            Error(list, at, $"{pskPath}: {p}");
        foreach (var w in warnings)
            Warn(list, at, $"{pskPath}: {w}");
        foreach (var remote in pskRemotes.Where(r => r.Address is not null))
        {
            var id = remote.Address!.ToString();
            if (table.Find(id) is null && (remote.XauthLogin is null || table.Find(remote.XauthLogin) is null))
                Warn(list, remote.Location, $"{pskPath} has no key for {id} (main mode looks the key up by the peer's address)");
        }
    }

    private static void CheckCredentials(RacoonConfig config, RemoteConfig remote, List<ConfigDiagnostic> list)
    {
        var certDir = config.Paths.Certificate;
        var needsCert = remote.Proposals.Any(p => p.AuthenticationMethod is AuthenticationMethod.RsaSignature
            or AuthenticationMethod.HybridRsaServer or AuthenticationMethod.XauthRsaClient or AuthenticationMethod.XauthRsaServer);
        if (needsCert && remote.CertificateType is null)
            Error(list, remote.Location, $"remote \"{remote.Name}\" uses rsasig but has no certificate_type x509 \"CERT\" \"KEY\";");

        X509Certificate2? own = null;
        if (remote.CertificateType is { } ct)
        {
            if (ct.Certificate is { } certRef)
                own = Try(list, certRef, () => CredentialFiles.LoadCertificate(certRef.Resolve(certDir)));
            if (ct.Kind == CertificateKind.X509)
            {
                using var key = Try(list, ct.PrivateKey, () => CredentialFiles.LoadRsaPrivateKey(ct.PrivateKey.Resolve(certDir)));
                if (key is not null && own is not null && !CredentialFiles.KeyMatchesCertificate(key, own))
                    Error(list, ct.PrivateKey.Location, $"{ct.PrivateKey.Resolve(certDir)} is not the private key of {ct.Certificate!.Resolve(certDir)}");
            }
            else
            {
                ReadableFile(list, ct.PrivateKey, certDir);
            }
        }

        X509Certificate2Collection? cas = null;
        if (remote.CaCertificate is { } caRef)
            cas = Try(list, caRef, () => CredentialFiles.LoadCertificates(caRef.Resolve(certDir)));
        if (own is not null && cas is not null)
        {
            var verdict = CertificateVerifier.VerifyChain(own, cas.Cast<X509Certificate2>());
            if (!verdict.Trusted)
                Warn(list, remote.CertificateType!.Certificate!.Location, $"own certificate {own.Subject}: {string.Join("; ", verdict.Problems)} (peers checking it against the same CA will refuse it)");
        }

        if (remote.PeersCertFile is { File: { } pinned } pcf)
        {
            if (pcf.Kind == CertificateKind.X509)
                Try(list, pinned, () => CredentialFiles.LoadCertificate(pinned.Resolve(certDir)));
            else
                ReadableFile(list, pinned, certDir);
        }

        CheckDn(list, remote, remote.MyIdentifier, "my_identifier");
        foreach (var id in remote.PeersIdentifiers)
            CheckDn(list, remote, id, "peers_identifier");
        if (own is not null && remote.MyIdentifier is { Type: IdentifierType.Asn1Dn, Value: { } myDn } && IsDn(myDn)
            && !CertificateVerifier.CertificateHasIdentity(own, remote.MyIdentifier))
        {
            Warn(list, remote.Location, $"remote \"{remote.Name}\": my_identifier asn1dn \"{myDn}\" differs from the certificate subject \"{own.Subject}\"; peers will see an ID mismatch");
        }

        own?.Dispose();
    }

    private static bool IsDn(string text)
    {
        try
        {
            DistinguishedName.Parse(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static void CheckDn(List<ConfigDiagnostic> list, RemoteConfig remote, IdentifierConfig id, string directive)
    {
        if (id is { Type: IdentifierType.Asn1Dn, Value: { } text })
        {
            try
            {
                DistinguishedName.Parse(text);
            }
            catch (FormatException e)
            {
                Error(list, remote.Location, $"remote \"{remote.Name}\": {directive} asn1dn: {e.Message}");
            }
        }
    }

    private static void ReadableFile(List<ConfigDiagnostic> list, FileReference file, string? dir)
    {
        var path = file.Resolve(dir);
        if (!File.Exists(path))
            Error(list, file.Location, $"cannot read {path}: no such file");
    }

    private static T? Try<T>(List<ConfigDiagnostic> list, FileReference file, Func<T> load) where T : class
    {
        try
        {
            return load();
        }
        catch (CredentialException e)
        {
            Error(list, file.Location, e.Message);
            return null;
        }
    }

    private static void WarnWeakRemote(RemoteConfig remote, List<ConfigDiagnostic> list)
    {
        foreach (var p in remote.Proposals)
        {
            if (p.Encryption.Algorithm == EncryptionAlgorithm.DesCbc)
                Warn(list, p.Location, "encryption_algorithm des is weak (56-bit key): use aes");
            if (p.Hash == HashAlgorithm.Md5)
                Warn(list, p.Location, "hash_algorithm md5 is weak: use sha256 or sha1");
            if (p.DhGroup == DhGroupId.Modp768)
                Warn(list, p.Location, "dh_group modp768 is weak: use modp2048");
        }
        if (remote.Accepts(ExchangeMode.Aggressive) && UsesPsk(remote))
            Warn(list, remote.Location, $"remote \"{remote.Name}\": aggressive mode with a pre-shared key exposes a hash of the key to offline guessing; prefer main mode or certificates");
    }

    private static void WarnWeakSainfo(SainfoConfig sainfo, List<ConfigDiagnostic> list)
    {
        if (sainfo.EncryptionAlgorithms.Any(e => e.Algorithm is Phase2Encryption.Des or Phase2Encryption.DesIv32 or Phase2Encryption.DesIv64))
            Warn(list, sainfo.Location, $"sainfo {sainfo.Description}: encryption_algorithm des is weak: use aes");
        if (sainfo.EncryptionAlgorithms.Any(e => e.Algorithm == Phase2Encryption.Null))
            Warn(list, sainfo.Location, $"sainfo {sainfo.Description}: null_enc gives no confidentiality");
        if (sainfo.AuthenticationAlgorithms.Contains(Phase2Authentication.HmacMd5))
            Warn(list, sainfo.Location, $"sainfo {sainfo.Description}: hmac_md5 is weak: use hmac_sha256 or hmac_sha1");
        if (sainfo.PfsGroup == DhGroupId.Modp768)
            Warn(list, sainfo.Location, $"sainfo {sainfo.Description}: pfs_group modp768 is weak: use modp2048");
    }
}
