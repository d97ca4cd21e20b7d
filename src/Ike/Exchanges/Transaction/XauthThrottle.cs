using System.Net;

namespace KernelIpsec.Ike.Exchanges.Transaction;

/// <summary>
/// racoon's <c>throttle_host</c>: after a failed XAuth login the peer's address is throttled for
/// <c>auth_throttle</c>; any login from it before then fails too, which makes password guessing slow.
/// </summary>
internal sealed class XauthThrottle
{
    private readonly Dictionary<IPAddress, DateTimeOffset> until = [];

    /// <summary>The time left on <paramref name="peer"/>'s throttle, or zero.</summary>
    public TimeSpan Remaining(IPAddress peer, DateTimeOffset now)
    {
        if (!until.TryGetValue(peer, out var end))
        {
            return TimeSpan.Zero;
        }
        if (end <= now)
        {
            until.Remove(peer);
            return TimeSpan.Zero;
        }
        return end - now;
    }

    public void Failed(IPAddress peer, DateTimeOffset now, TimeSpan delay)
    {
        if (delay > TimeSpan.Zero)
        {
            until[peer] = now + delay;
        }
    }
}
