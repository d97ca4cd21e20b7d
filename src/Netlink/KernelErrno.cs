namespace KernelIpsec.Netlink;

/// <summary>The Linux errno values the IPsec kernel interfaces answer with.</summary>
public static class KernelErrno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int ENOMEM = 12;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int EINVAL = 22;
    public const int ENOSYS = 38;
    public const int EPROTONOSUPPORT = 93;
    public const int EOPNOTSUPP = 95;
    public const int EAFNOSUPPORT = 97;
    public const int ENOBUFS = 105;

    /// <summary>The C library's text for an errno ("File exists").</summary>
    public static string Describe(int errno) => System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno);
}
