namespace KernelIpsec.Netlink.PfKey;

/// <summary>
/// Sees each PF_KEY message a <see cref="PfKeyKernel"/> sends (<paramref name="sent"/> true) and each answer it takes
/// for a request of its own (false), before it is acted on: what <c>setkey -v</c> and <c>-H</c> print.
/// </summary>
public delegate void PfKeyTrafficObserver(ReadOnlySpan<byte> message, bool sent);
