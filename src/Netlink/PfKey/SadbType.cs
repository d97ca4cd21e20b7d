namespace KernelIpsec.Netlink.PfKey;

/// <summary>sadb_msg_type values (linux/pfkeyv2.h), for callers outside this assembly that build or show messages.</summary>
public enum SadbType : byte
{
    GetSpi = PfKeyConstants.SADB_GETSPI,
    Update = PfKeyConstants.SADB_UPDATE,
    Add = PfKeyConstants.SADB_ADD,
    Delete = PfKeyConstants.SADB_DELETE,
    Get = PfKeyConstants.SADB_GET,
    Acquire = PfKeyConstants.SADB_ACQUIRE,
    Register = PfKeyConstants.SADB_REGISTER,
    Expire = PfKeyConstants.SADB_EXPIRE,
    Flush = PfKeyConstants.SADB_FLUSH,
    Dump = PfKeyConstants.SADB_DUMP,
    Promisc = PfKeyConstants.SADB_X_PROMISC,
    SpdUpdate = PfKeyConstants.SADB_X_SPDUPDATE,
    SpdAdd = PfKeyConstants.SADB_X_SPDADD,
    SpdDelete = PfKeyConstants.SADB_X_SPDDELETE,
    SpdGet = PfKeyConstants.SADB_X_SPDGET,
    SpdDump = PfKeyConstants.SADB_X_SPDDUMP,
    SpdFlush = PfKeyConstants.SADB_X_SPDFLUSH,
    SpdExpire = PfKeyConstants.SADB_X_SPDEXPIRE,
    SpdDelete2 = PfKeyConstants.SADB_X_SPDDELETE2,
}
