namespace KernelIpsec.Netlink.NetlinkProtocol;

/// <summary>A netlink message from the kernel did not have the shape its header promised (names the field).</summary>
public sealed class NetlinkFormatException : Exception
{
    public NetlinkFormatException(string message)
        : base("malformed netlink message: " + message)
    {
    }
}
