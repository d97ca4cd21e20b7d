namespace KernelIpsec.Netlink.Interop;

/// <summary>Message types, attribute types, groups and limits from &lt;linux/xfrm.h&gt;.</summary>
internal static class XfrmConstants
{
    public const int NETLINK_XFRM = 6;

    // enum xfrm_nlgroups
    public const int XFRMNLGRP_ACQUIRE = 1;
    public const int XFRMNLGRP_EXPIRE = 2;
    public const int XFRMNLGRP_SA = 3;
    public const int XFRMNLGRP_POLICY = 4;
    public const int XFRMNLGRP_MAPPING = 8;

    // XFRM_MSG_*
    public const ushort XFRM_MSG_NEWSA = 16;
    public const ushort XFRM_MSG_DELSA = 17;
    public const ushort XFRM_MSG_GETSA = 18;
    public const ushort XFRM_MSG_NEWPOLICY = 19;
    public const ushort XFRM_MSG_DELPOLICY = 20;
    public const ushort XFRM_MSG_GETPOLICY = 21;
    public const ushort XFRM_MSG_ALLOCSPI = 22;
    public const ushort XFRM_MSG_ACQUIRE = 23;
    public const ushort XFRM_MSG_EXPIRE = 24;
    public const ushort XFRM_MSG_UPDPOLICY = 25;
    public const ushort XFRM_MSG_UPDSA = 26;
    public const ushort XFRM_MSG_POLEXPIRE = 27;
    public const ushort XFRM_MSG_FLUSHSA = 28;
    public const ushort XFRM_MSG_FLUSHPOLICY = 29;
    public const ushort XFRM_MSG_MAPPING = 38;

    // enum xfrm_attr_type_t
    public const ushort XFRMA_ALG_AUTH = 1;
    public const ushort XFRMA_ALG_CRYPT = 2;
    public const ushort XFRMA_ALG_COMP = 3;
    public const ushort XFRMA_ENCAP = 4;
    public const ushort XFRMA_TMPL = 5;
    public const ushort XFRMA_SA = 6;
    public const ushort XFRMA_POLICY = 7;
    public const ushort XFRMA_SEC_CTX = 8;
    public const ushort XFRMA_LTIME_VAL = 9;
    public const ushort XFRMA_REPLAY_VAL = 10;
    public const ushort XFRMA_REPLAY_THRESH = 11;
    public const ushort XFRMA_ETIMER_THRESH = 12;
    public const ushort XFRMA_SRCADDR = 13;
    public const ushort XFRMA_COADDR = 14;
    public const ushort XFRMA_LASTUSED = 15;
    public const ushort XFRMA_POLICY_TYPE = 16;
    public const ushort XFRMA_MIGRATE = 17;
    public const ushort XFRMA_ALG_AEAD = 18;
    public const ushort XFRMA_KMADDRESS = 19;
    public const ushort XFRMA_ALG_AUTH_TRUNC = 20;
    public const ushort XFRMA_MARK = 21;
    public const ushort XFRMA_TFCPAD = 22;
    public const ushort XFRMA_REPLAY_ESN_VAL = 23;
    public const ushort XFRMA_SA_EXTRA_FLAGS = 24;

    public const byte XFRM_POLICY_TYPE_MAIN = 0;

    public const byte XFRM_MODE_TRANSPORT = 0;
    public const byte XFRM_MODE_TUNNEL = 1;
    public const byte XFRM_MODE_BEET = 4;

    /// <summary>"No limit" for byte and packet counts.</summary>
    public const ulong XFRM_INF = ulong.MaxValue;

    public const int AlgoNameLength = 64;
    public const int XfrmAlgoHeaderSize = 68;       // sizeof(struct xfrm_algo)
    public const int XfrmAlgoAuthHeaderSize = 72;   // sizeof(struct xfrm_algo_auth)
    public const int XfrmAlgoAeadHeaderSize = 72;   // sizeof(struct xfrm_algo_aead)

    public const ushort AF_INET = 2;
    public const ushort AF_INET6 = 10;
}
