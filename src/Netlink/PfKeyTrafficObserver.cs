namespace KernelIpsec.Netlink;

/// <summary>
/// Sees each PF_KEY message a <c>PfKeyKernel</c> sends (<paramref name="sent"/> true) and each answer it takes
/// for a request of its own (false), before it is acted on: what <c>setkey -v</c> and <c>-H</c> print.
/// </summary>
public delegate void PfKeyTrafficObserver(ReadOnlySpan<byte> message, bool sent);
