namespace KernelIpsec.Netlink.Interop;

/// <summary>From &lt;linux/netlink.h&gt;.</summary>
internal static class NetlinkConstants
{
    public const int NlmsghdrSize = 16;   // sizeof(struct nlmsghdr)
    public const int NlattrSize = 4;      // sizeof(struct nlattr)
    public const int SockaddrNlSize = 12; // sizeof(struct sockaddr_nl)
    public const int NlmsgerrSize = 20;   // sizeof(struct nlmsgerr): int error + the offending nlmsghdr

    public const ushort NLM_F_REQUEST = 0x01;
    public const ushort NLM_F_MULTI = 0x02;
    public const ushort NLM_F_ACK = 0x04;
    public const ushort NLM_F_DUMP_INTR = 0x10;
    public const ushort NLM_F_ROOT = 0x100;
    public const ushort NLM_F_MATCH = 0x200;
    public const ushort NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;

    public const ushort NLMSG_NOOP = 1;
    public const ushort NLMSG_ERROR = 2;
    public const ushort NLMSG_DONE = 3;

    public const ushort NLA_TYPE_MASK = 0x3fff;

    public const int SOL_NETLINK = 270;
    public const int NETLINK_ADD_MEMBERSHIP = 1;
    public const int NETLINK_EXT_ACK = 11;

    public static int Align(int length) => (length + 3) & ~3;
}
