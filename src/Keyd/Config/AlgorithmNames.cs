using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Wire;
using AuthenticationMethod = KernelIpsec.Ike.Config.AuthenticationMethod;

namespace KernelIpsec.Keyd.Config;

/// <summary>The names racoon.conf uses for algorithms, groups, methods and protocols (cftoken.l), and back.</summary>
internal static class AlgorithmNames
{
    public static readonly Dictionary<string, EncryptionAlgorithm> EncryptionAlgorithm = new()
    {
        ["des"] = Ike.Wire.EncryptionAlgorithm.DesCbc,
        ["3des"] = Ike.Wire.EncryptionAlgorithm.TripleDesCbc,
        ["blowfish"] = Ike.Wire.EncryptionAlgorithm.BlowfishCbc,
        ["cast128"] = Ike.Wire.EncryptionAlgorithm.CastCbc,
        ["aes"] = Ike.Wire.EncryptionAlgorithm.AesCbc,
        ["rijndael"] = Ike.Wire.EncryptionAlgorithm.AesCbc,
        ["camellia"] = Ike.Wire.EncryptionAlgorithm.CamelliaCbc,
        ["idea"] = Ike.Wire.EncryptionAlgorithm.IdeaCbc,
        ["rc5"] = Ike.Wire.EncryptionAlgorithm.Rc5R16B64Cbc,
    };

    public static readonly Dictionary<string, HashAlgorithm> Hash = new()
    {
        ["md5"] = HashAlgorithm.Md5,
        ["sha1"] = HashAlgorithm.Sha1,
        ["tiger"] = HashAlgorithm.Tiger,
        ["sha256"] = HashAlgorithm.Sha2_256,
        ["sha2_256"] = HashAlgorithm.Sha2_256,
        ["sha384"] = HashAlgorithm.Sha2_384,
        ["sha2_384"] = HashAlgorithm.Sha2_384,
        ["sha512"] = HashAlgorithm.Sha2_512,
        ["sha2_512"] = HashAlgorithm.Sha2_512,
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

    public static readonly Dictionary<string, DhGroupId> DhGroups = new()
    {
        ["modp768"] = DhGroupId.Modp768,
        ["1"] = DhGroupId.Modp768,
        ["modp1024"] = DhGroupId.Modp1024,
        ["2"] = DhGroupId.Modp1024,
        ["ec2n155"] = DhGroupId.Ec2nGp155,
        ["3"] = DhGroupId.Ec2nGp155,
        ["ec2n185"] = DhGroupId.Ec2nGp185,
        ["4"] = DhGroupId.Ec2nGp185,
        ["modp1536"] = DhGroupId.Modp1536,
        ["5"] = DhGroupId.Modp1536,
        ["modp2048"] = DhGroupId.Modp2048,
        ["14"] = DhGroupId.Modp2048,
        ["modp3072"] = DhGroupId.Modp3072,
        ["15"] = DhGroupId.Modp3072,
        ["modp4096"] = DhGroupId.Modp4096,
        ["16"] = DhGroupId.Modp4096,
        ["modp6144"] = DhGroupId.Modp6144,
        ["17"] = DhGroupId.Modp6144,
        ["modp8192"] = DhGroupId.Modp8192,
        ["18"] = DhGroupId.Modp8192,
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
        ["any"] = 0,
        ["icmp"] = 1,
        ["tcp"] = 6,
        ["udp"] = 17,
        ["gre"] = 47,
        ["esp"] = 50,
        ["ah"] = 51,
        ["icmp6"] = 58,
        ["ipcomp"] = 108,
    };

    /// <summary>Key length rule: null = fixed-length cipher (no key length allowed), else (min, max, step).</summary>
    public static (int Min, int Max, int Step)? KeyLengthRule(EncryptionAlgorithm e) => e switch
    {
        Ike.Wire.EncryptionAlgorithm.AesCbc or Ike.Wire.EncryptionAlgorithm.CamelliaCbc => (128, 256, 64),
        Ike.Wire.EncryptionAlgorithm.BlowfishCbc => (40, 448, 8),
        Ike.Wire.EncryptionAlgorithm.CastCbc => (40, 128, 8),
        Ike.Wire.EncryptionAlgorithm.Rc5R16B64Cbc => (40, 2040, 8),
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
    /// <summary>The name racoon -C prints (cftoken.l's spelling; CAST as "cast").</summary>
    public static string Name(EncryptionAlgorithm e) => e switch
    {
        Ike.Wire.EncryptionAlgorithm.DesCbc => "des",
        Ike.Wire.EncryptionAlgorithm.IdeaCbc => "idea",
        Ike.Wire.EncryptionAlgorithm.BlowfishCbc => "blowfish",
        Ike.Wire.EncryptionAlgorithm.Rc5R16B64Cbc => "rc5",
        Ike.Wire.EncryptionAlgorithm.TripleDesCbc => "3des",
        Ike.Wire.EncryptionAlgorithm.CastCbc => "cast",
        Ike.Wire.EncryptionAlgorithm.AesCbc => "aes",
        Ike.Wire.EncryptionAlgorithm.CamelliaCbc => "camellia",
        _ => ((ushort)e).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static string Name(HashAlgorithm h) => h switch
    {
        HashAlgorithm.Sha2_256 => "sha2_256",
        HashAlgorithm.Sha2_384 => "sha2_384",
        HashAlgorithm.Sha2_512 => "sha2_512",
        _ => h.ToString().ToLowerInvariant(),
    };

    public static string Name(DhGroupId g) => g switch
    {
        DhGroupId.Ec2nGp155 => "ec2n155",
        DhGroupId.Ec2nGp185 => "ec2n185",
        _ => g.ToString().ToLowerInvariant(),
    };

    public static string Name(AuthenticationMethod m) => AuthenticationMethods.First(kv => kv.Value == m).Key;

    public static string Name(Phase2Encryption e) => Phase2Encryption.First(kv => kv.Value == e).Key;

    public static string Name(Phase2Authentication a) => Phase2Authentication.First(kv => kv.Value == a).Key;

    public static string Name(CompressionAlgorithm c) => Compression.First(kv => kv.Value == c).Key;
}
