namespace KernelIpsec.Netlink;

/// <summary>
/// The kernel refused an operation. The message reads like
/// <c>add SA esp spi 0x100 10.0.0.1-&gt;10.0.0.2: File exists</c>: operation, entry, the errno's text.
/// </summary>
public sealed class KernelIpsecException : Exception
{
    public KernelIpsecException(string operation, string entry, int errno)
        : base($"{operation} {entry}: {KernelErrno.Describe(errno)}")
    {
        Operation = operation;
        Entry = entry;
        Errno = errno;
    }

    /// <summary>What was attempted ("add SA", "delete policy", "allocate SPI", "flush SAs").</summary>
    public string Operation { get; }

    /// <summary>The entry it concerned, in the model's ToString form.</summary>
    public string Entry { get; }

    /// <summary>Positive errno (<see cref="KernelErrno"/>).</summary>
    public int Errno { get; }

    public string ErrnoText => KernelErrno.Describe(Errno);

    public bool IsNotFound => Errno is KernelErrno.ENOENT or KernelErrno.ESRCH;

    public bool IsAlreadyExists => Errno == KernelErrno.EEXIST;
}
