using KernelIpsec.Ike.Config;

namespace KernelIpsec.Keyd.Config;

/// <summary>The names racoon.conf uses for algorithms, groups, methods and protocols (cftoken.l), and back.</summary>
internal static class AlgorithmNames
{
    public static readonly Dictionary<string, Phase1Encryption> Phase1Encryption = new()
    {
        ["des"] = Ike.Config.Phase1Encryption.Des,
        ["3des"] = Ike.Config.Phase1Encryption.TripleDes,
        ["blowfish"] = Ike.Config.Phase1Encryption.Blowfish,
        ["cast128"] = Ike.Config.Phase1Encryption.Cast128,
        ["aes"] = Ike.Config.Phase1Encryption.Aes,
        ["rijndael"] = Ike.Config.Phase1Encryption.Aes,
        ["camellia"] = Ike.Config.Phase1Encryption.Camellia,
        ["idea"] = Ike.Config.Phase1Encryption.Idea,
        ["rc5"] = Ike.Config.Phase1Encryption.Rc5,
    };

    public static readonly Dictionary<string, HashAlgorithm> Hash = new()
    {
        ["md5"] = HashAlgorithm.Md5,
        ["sha1"] = HashAlgorithm.Sha1,
        ["tiger"] = HashAlgorithm.Tiger,
        ["sha256"] = HashAlgorithm.Sha256,
        ["sha2_256"] = HashAlgorithm.Sha256,
        ["sha384"] = HashAlgorithm.Sha384,
        ["sha2_384"] = HashAlgorithm.Sha384,
        ["sha512"] = HashAlgorithm.Sha512,
        ["sha2_512"] = HashAlgorithm.Sha512,
    };

    public static readonly Dictionary<string, AuthenticationMethod> AuthenticationMethods = new()
    {
        ["pre_shared_key"] = AuthenticationMethod.PreSharedKey,
        ["rsasig"] = AuthenticationMethod.RsaSignature,
        ["dsssig"] = AuthenticationMethod.DssSignature,
        ["rsaenc"] = AuthenticationMethod.RsaEncryption,
        ["rsarev"] = AuthenticationMethod.RsaRevisedEncryption,
        ["gssapi_krb"] = AuthenticationMethod.GssApiKerberos,
        ["hybrid_rsa_server"] = AuthenticationMethod.HybridRsaServer,
        ["hybrid_rsa_client"] = AuthenticationMethod.HybridRsaClient,
        ["hybrid_dss_server"] = AuthenticationMethod.HybridDssServer,
        ["hybrid_dss_client"] = AuthenticationMethod.HybridDssClient,
        ["xauth_psk_server"] = AuthenticationMethod.XauthPskServer,
        ["xauth_psk_client"] = AuthenticationMethod.XauthPskClient,
        ["xauth_rsa_server"] = AuthenticationMethod.XauthRsaServer,
        ["xauth_rsa_client"] = AuthenticationMethod.XauthRsaClient,
    };

    public static readonly Dictionary<string, DhGroup> DhGroups = new()
    {
        ["modp768"] = DhGroup.Modp768, ["1"] = DhGroup.Modp768,
        ["modp1024"] = DhGroup.Modp1024, ["2"] = DhGroup.Modp1024,
        ["ec2n155"] = DhGroup.Ec2nGp155, ["3"] = DhGroup.Ec2nGp155,
        ["ec2n185"] = DhGroup.Ec2nGp185, ["4"] = DhGroup.Ec2nGp185,
        ["modp1536"] = DhGroup.Modp1536, ["5"] = DhGroup.Modp1536,
        ["modp2048"] = DhGroup.Modp2048, ["14"] = DhGroup.Modp2048,
        ["modp3072"] = DhGroup.Modp3072, ["15"] = DhGroup.Modp3072,
        ["modp4096"] = DhGroup.Modp4096, ["16"] = DhGroup.Modp4096,
        ["modp6144"] = DhGroup.Modp6144, ["17"] = DhGroup.Modp6144,
        ["modp8192"] = DhGroup.Modp8192, ["18"] = DhGroup.Modp8192,
    };

    public static readonly Dictionary<string, Phase2Encryption> Phase2Encryption = new()
    {
        ["des"] = Ike.Config.Phase2Encryption.Des,
        ["des_iv64"] = Ike.Config.Phase2Encryption.DesIv64,
        ["des_iv32"] = Ike.Config.Phase2Encryption.DesIv32,
        ["3des"] = Ike.Config.Phase2Encryption.TripleDes,
        ["rc5"] = Ike.Config.Phase2Encryption.Rc5,
        ["idea"] = Ike.Config.Phase2Encryption.Idea,
        ["3idea"] = Ike.Config.Phase2Encryption.TripleIdea,
        ["cast128"] = Ike.Config.Phase2Encryption.Cast128,
        ["blowfish"] = Ike.Config.Phase2Encryption.Blowfish,
        ["null_enc"] = Ike.Config.Phase2Encryption.Null,
        ["null"] = Ike.Config.Phase2Encryption.Null,
        ["aes"] = Ike.Config.Phase2Encryption.Aes,
        ["rijndael"] = Ike.Config.Phase2Encryption.Aes,
        ["twofish"] = Ike.Config.Phase2Encryption.Twofish,
        ["camellia"] = Ike.Config.Phase2Encryption.Camellia,
        ["rc4"] = Ike.Config.Phase2Encryption.Rc4,
    };

    public static readonly Dictionary<string, Phase2Authentication> Phase2Authentication = new()
    {
        ["non_auth"] = Ike.Config.Phase2Authentication.None,
        ["hmac_md5"] = Ike.Config.Phase2Authentication.HmacMd5,
        ["hmac_sha1"] = Ike.Config.Phase2Authentication.HmacSha1,
        ["hmac_sha256"] = Ike.Config.Phase2Authentication.HmacSha256,
        ["hmac_sha2_256"] = Ike.Config.Phase2Authentication.HmacSha256,
        ["hmac_sha384"] = Ike.Config.Phase2Authentication.HmacSha384,
        ["hmac_sha2_384"] = Ike.Config.Phase2Authentication.HmacSha384,
        ["hmac_sha512"] = Ike.Config.Phase2Authentication.HmacSha512,
        ["hmac_sha2_512"] = Ike.Config.Phase2Authentication.HmacSha512,
        ["des_mac"] = Ike.Config.Phase2Authentication.DesMac,
        ["kpdk"] = Ike.Config.Phase2Authentication.Kpdk,
    };

    public static readonly Dictionary<string, CompressionAlgorithm> Compression = new()
    {
        ["deflate"] = CompressionAlgorithm.Deflate,
        ["oui"] = CompressionAlgorithm.Oui,
        ["lzs"] = CompressionAlgorithm.Lzs,
    };

    public static readonly Dictionary<string, byte> UpperProtocols = new()
    {
        ["any"] = 0, ["icmp"] = 1, ["tcp"] = 6, ["udp"] = 17, ["gre"] = 47, ["esp"] = 50, ["ah"] = 51, ["icmp6"] = 58, ["ipcomp"] = 108,
    };

    /// <summary>Key length rule: null = fixed-length cipher (no key length allowed), else (min, max, step).</summary>
    public static (int Min, int Max, int Step)? KeyLengthRule(Phase1Encryption e) => e switch
    {
        Ike.Config.Phase1Encryption.Aes or Ike.Config.Phase1Encryption.Camellia => (128, 256, 64),
        Ike.Config.Phase1Encryption.Blowfish => (40, 448, 8),
        Ike.Config.Phase1Encryption.Cast128 => (40, 128, 8),
        Ike.Config.Phase1Encryption.Rc5 => (40, 2040, 8),
        _ => null,
    };

    public static (int Min, int Max, int Step)? KeyLengthRule(Phase2Encryption e) => e switch
    {
        Ike.Config.Phase2Encryption.Aes or Ike.Config.Phase2Encryption.Camellia or Ike.Config.Phase2Encryption.Twofish => (128, 256, 64),
        Ike.Config.Phase2Encryption.Blowfish => (40, 448, 8),
        Ike.Config.Phase2Encryption.Cast128 => (40, 128, 8),
        Ike.Config.Phase2Encryption.Rc5 => (40, 2040, 8),
        _ => null,
    };

    /// <summary>The name racoon prints in `-C` output for a phase 1 cipher (its oakley table names).</summary>
    public static string Name(Phase1Encryption e) => e switch
    {
        Ike.Config.Phase1Encryption.TripleDes => "3des",
        Ike.Config.Phase1Encryption.Cast128 => "cast",
        _ => e.ToString().ToLowerInvariant(),
    };

    public static string Name(HashAlgorithm h) => h switch
    {
        HashAlgorithm.Sha256 => "sha2_256",
        HashAlgorithm.Sha384 => "sha2_384",
        HashAlgorithm.Sha512 => "sha2_512",
        _ => h.ToString().ToLowerInvariant(),
    };

    public static string Name(DhGroup g) => g switch
    {
        DhGroup.Ec2nGp155 => "ec2n155",
        DhGroup.Ec2nGp185 => "ec2n185",
        _ => g.ToString().ToLowerInvariant(),
    };

    public static string Name(AuthenticationMethod m) => AuthenticationMethods.First(kv => kv.Value == m).Key;

    public static string Name(Phase2Encryption e) => Phase2Encryption.First(kv => kv.Value == e).Key;

    public static string Name(Phase2Authentication a) => Phase2Authentication.First(kv => kv.Value == a).Key;

    public static string Name(CompressionAlgorithm c) => Compression.First(kv => kv.Value == c).Key;
}
