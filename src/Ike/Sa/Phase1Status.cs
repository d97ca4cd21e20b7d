using System.Net;

namespace KernelIpsec.Ike.Sa;

/// <summary>What racoonctl <c>show-sa isakmp</c> lists about an ISAKMP SA.</summary>
public sealed record Phase1Status(IPEndPoint Local, IPEndPoint Remote, ulong InitiatorCookie, ulong ResponderCookie, bool IsInitiator, bool Established,
    string Mode, DateTimeOffset? EstablishedAt, DateTimeOffset? ExpiresAt, int QuickModesRunning);
