using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KernelIpsec.Keyd.Config;

/// <summary>
/// Reads the certificate and key files racoon.conf names: PEM (or DER) X.509 certificates, CA bundles,
/// and unencrypted RSA private keys in PKCS#1 (`RSA PRIVATE KEY`) or PKCS#8 (`PRIVATE KEY`) PEM.
/// Errors are <see cref="CredentialException"/> with a message naming the file and the problem.
/// </summary>
public static class CredentialFiles
{
    public static X509Certificate2 LoadCertificate(string path)
    {
        var all = LoadCertificates(path);
        return all.Count == 1 ? all[0] : throw new CredentialException($"{path}: expected one certificate, found {all.Count}");
    }

    /// <summary>Every certificate in a PEM bundle (or the one in a DER file).</summary>
    public static X509Certificate2Collection LoadCertificates(string path)
    {
        var bytes = Read(path);
        var collection = new X509Certificate2Collection();
        try
        {
            var text = System.Text.Encoding.ASCII.GetString(bytes);
            if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
                collection.ImportFromPem(text);
            else if (text.Contains("-----BEGIN ", StringComparison.Ordinal))
                throw new CredentialException($"{path}: no certificate found (expected -----BEGIN CERTIFICATE-----)");
            else
                collection.Add(X509CertificateLoader.LoadCertificate(bytes));
        }
        catch (CryptographicException e)
        {
            throw new CredentialException($"{path}: not a PEM or DER X.509 certificate ({e.Message})");
        }
        if (collection.Count == 0)
            throw new CredentialException($"{path}: no certificate found (expected -----BEGIN CERTIFICATE-----)");
        return collection;
    }

    /// <summary>An RSA private key from PKCS#1 or PKCS#8 PEM (unencrypted: racoon reads keys without a passphrase).</summary>
    public static RSA LoadRsaPrivateKey(string path)
    {
        var text = System.Text.Encoding.ASCII.GetString(Read(path));
        if (text.Contains("ENCRYPTED", StringComparison.Ordinal))
            throw new CredentialException($"{path}: the private key is encrypted; racoon reads unencrypted keys only (openssl rsa -in KEY -out KEY)");
        if (!text.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
            throw new CredentialException($"{path}: no PEM private key found (expected -----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----)");
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(text);
            return rsa;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            rsa.Dispose();
            throw new CredentialException($"{path}: not an RSA private key ({e.Message})");
        }
    }

    /// <summary>Whether <paramref name="key"/> is the private half of <paramref name="certificate"/>'s public key.</summary>
    public static bool KeyMatchesCertificate(RSA key, X509Certificate2 certificate)
    {
        using var pub = certificate.GetRSAPublicKey();
        if (pub is null)
            return false;
        var a = key.ExportParameters(false);
        var b = pub.ExportParameters(false);
        return a.Modulus.AsSpan().SequenceEqual(b.Modulus) && a.Exponent.AsSpan().SequenceEqual(b.Exponent);
    }

    private static byte[] Read(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CredentialException($"cannot read {path}: {e.Message}");
        }
    }
}

public sealed class CredentialException(string message) : Exception(message);
