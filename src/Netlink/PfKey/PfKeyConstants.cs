namespace KernelIpsec.Netlink.PfKey;

/// <summary>
/// Numbers from linux/pfkeyv2.h and linux/ipsec.h (RFC 2367 plus the KAME/Linux <c>SADB_X_*</c> extensions).
/// Every length on the wire is in 64-bit words; every struct is padded to 8 bytes.
/// </summary>
internal static class PfKeyConstants
{
    /// <summary>socket(PF_KEY, SOCK_RAW, PF_KEY_V2).</summary>
    public const int PF_KEY = 15;
    public const int PF_KEY_V2 = 2;

    public const int WordBytes = 8;

    // sadb_msg_type
    public const byte SADB_GETSPI = 1;
    public const byte SADB_UPDATE = 2;
    public const byte SADB_ADD = 3;
    public const byte SADB_DELETE = 4;
    public const byte SADB_GET = 5;
    public const byte SADB_ACQUIRE = 6;
    public const byte SADB_REGISTER = 7;
    public const byte SADB_EXPIRE = 8;
    public const byte SADB_FLUSH = 9;
    public const byte SADB_DUMP = 10;
    public const byte SADB_X_PROMISC = 11;
    public const byte SADB_X_PCHANGE = 12;
    public const byte SADB_X_SPDUPDATE = 13;
    public const byte SADB_X_SPDADD = 14;
    public const byte SADB_X_SPDDELETE = 15;
    public const byte SADB_X_SPDGET = 16;
    public const byte SADB_X_SPDACQUIRE = 17;
    public const byte SADB_X_SPDDUMP = 18;
    public const byte SADB_X_SPDFLUSH = 19;
    public const byte SADB_X_SPDSETIDX = 20;
    public const byte SADB_X_SPDEXPIRE = 21;
    public const byte SADB_X_SPDDELETE2 = 22;
    public const byte SADB_X_NAT_T_NEW_MAPPING = 23;
    public const byte SADB_X_MIGRATE = 24;
    public const byte SADB_MAX = 24;

    // sadb_msg_satype
    public const byte SADB_SATYPE_UNSPEC = 0;
    public const byte SADB_SATYPE_AH = 2;
    public const byte SADB_SATYPE_ESP = 3;
    public const byte SADB_X_SATYPE_IPCOMP = 9;

    // sadb_ext_type
    public const ushort SADB_EXT_SA = 1;
    public const ushort SADB_EXT_LIFETIME_CURRENT = 2;
    public const ushort SADB_EXT_LIFETIME_HARD = 3;
    public const ushort SADB_EXT_LIFETIME_SOFT = 4;
    public const ushort SADB_EXT_ADDRESS_SRC = 5;
    public const ushort SADB_EXT_ADDRESS_DST = 6;
    public const ushort SADB_EXT_ADDRESS_PROXY = 7;
    public const ushort SADB_EXT_KEY_AUTH = 8;
    public const ushort SADB_EXT_KEY_ENCRYPT = 9;
    public const ushort SADB_EXT_IDENTITY_SRC = 10;
    public const ushort SADB_EXT_IDENTITY_DST = 11;
    public const ushort SADB_EXT_SENSITIVITY = 12;
    public const ushort SADB_EXT_PROPOSAL = 13;
    public const ushort SADB_EXT_SUPPORTED_AUTH = 14;
    public const ushort SADB_EXT_SUPPORTED_ENCRYPT = 15;
    public const ushort SADB_EXT_SPIRANGE = 16;
    public const ushort SADB_X_EXT_KMPRIVATE = 17;
    public const ushort SADB_X_EXT_POLICY = 18;
    public const ushort SADB_X_EXT_SA2 = 19;
    public const ushort SADB_X_EXT_NAT_T_TYPE = 20;
    public const ushort SADB_X_EXT_NAT_T_SPORT = 21;
    public const ushort SADB_X_EXT_NAT_T_DPORT = 22;
    public const ushort SADB_X_EXT_NAT_T_OA = 23;
    public const ushort SADB_X_EXT_SEC_CTX = 24;
    public const ushort SADB_X_EXT_KMADDRESS = 25;
    public const ushort SADB_X_EXT_FILTER = 26;
    public const ushort SADB_EXT_MAX = 26;

    // sadb_sa_state
    public const byte SADB_SASTATE_LARVAL = 0;
    public const byte SADB_SASTATE_MATURE = 1;
    public const byte SADB_SASTATE_DYING = 2;
    public const byte SADB_SASTATE_DEAD = 3;

    // sadb_sa_flags: the three Linux maps onto XFRM state flags, and KAME's "cyclic sequence" that setkey always sets.
    public const uint SADB_SAFLAGS_NOPMTUDISC = 0x20000000;
    public const uint SADB_SAFLAGS_DECAP_DSCP = 0x40000000;
    public const uint SADB_SAFLAGS_NOECN = 0x80000000;
    public const uint SADB_X_EXT_CYCSEQ = 0x40;

    // linux/ipsec.h
    public const byte IPSEC_ULPROTO_ANY = 255;
    public const byte IPSEC_DIR_INBOUND = 1;
    public const byte IPSEC_DIR_OUTBOUND = 2;
    public const byte IPSEC_DIR_FWD = 3;
    public const ushort IPSEC_POLICY_DISCARD = 0;
    public const ushort IPSEC_POLICY_NONE = 1;
    public const ushort IPSEC_POLICY_IPSEC = 2;
    public const ushort IPSEC_POLICY_BYPASS = 4;
    public const byte IPSEC_LEVEL_DEFAULT = 0;
    public const byte IPSEC_LEVEL_USE = 1;
    public const byte IPSEC_LEVEL_REQUIRE = 2;
    public const byte IPSEC_LEVEL_UNIQUE = 3;

    // Struct sizes (bytes); all multiples of 8 except the sockaddrs, which address extensions pad.
    public const int SadbMsgSize = 16;
    public const int SadbSaSize = 16;
    public const int SadbLifetimeSize = 32;
    public const int SadbAddressSize = 8;
    public const int SadbKeySize = 8;
    public const int SadbSpirangeSize = 16;
    public const int SadbXSa2Size = 16;
    public const int SadbXPolicySize = 16;
    public const int SadbXIpsecrequestSize = 16;
    public const int SadbXNatTTypeSize = 8;
    public const int SadbXNatTPortSize = 8;
    public const int SadbXSecCtxSize = 8;
    public const int SadbSupportedSize = 8;
    public const int SadbAlgSize = 8;
    public const int SockaddrInSize = 16;
    public const int SockaddrIn6Size = 28;
    public const ushort AF_INET = 2;
    public const ushort AF_INET6 = 10;

    /// <summary>Rounds a byte count up to whole 64-bit words.</summary>
    public static int Align(int bytes) => (bytes + WordBytes - 1) & ~(WordBytes - 1);

    /// <summary>The message type's name as pfkeyv2.h spells it (for errors and logs).</summary>
    public static string MessageName(byte type) => type switch
    {
        SADB_GETSPI => "SADB_GETSPI",
        SADB_UPDATE => "SADB_UPDATE",
        SADB_ADD => "SADB_ADD",
        SADB_DELETE => "SADB_DELETE",
        SADB_GET => "SADB_GET",
        SADB_ACQUIRE => "SADB_ACQUIRE",
        SADB_REGISTER => "SADB_REGISTER",
        SADB_EXPIRE => "SADB_EXPIRE",
        SADB_FLUSH => "SADB_FLUSH",
        SADB_DUMP => "SADB_DUMP",
        SADB_X_PROMISC => "SADB_X_PROMISC",
        SADB_X_PCHANGE => "SADB_X_PCHANGE",
        SADB_X_SPDUPDATE => "SADB_X_SPDUPDATE",
        SADB_X_SPDADD => "SADB_X_SPDADD",
        SADB_X_SPDDELETE => "SADB_X_SPDDELETE",
        SADB_X_SPDGET => "SADB_X_SPDGET",
        SADB_X_SPDACQUIRE => "SADB_X_SPDACQUIRE",
        SADB_X_SPDDUMP => "SADB_X_SPDDUMP",
        SADB_X_SPDFLUSH => "SADB_X_SPDFLUSH",
        SADB_X_SPDSETIDX => "SADB_X_SPDSETIDX",
        SADB_X_SPDEXPIRE => "SADB_X_SPDEXPIRE",
        SADB_X_SPDDELETE2 => "SADB_X_SPDDELETE2",
        SADB_X_NAT_T_NEW_MAPPING => "SADB_X_NAT_T_NEW_MAPPING",
        SADB_X_MIGRATE => "SADB_X_MIGRATE",
        _ => $"type {type}",
    };
}
