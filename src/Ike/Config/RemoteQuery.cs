using System.Net;

namespace KernelIpsec.Ike.Config;

/// <summary>
/// What is known about a peer when a remote section is chosen (racoon's <c>rmconfselector</c>).
/// Every part is optional; each one that is given must match, and each one that matches makes a
/// section a better candidate than one matched only by fewer parts.
/// </summary>
public sealed record RemoteQuery
{
    /// <summary>The peer's address (the port is ignored, as racoon does).</summary>
    public IPAddress? Peer { get; init; }
    /// <summary>The exchange the peer started (responder) or we start (initiator).</summary>
    public ExchangeMode? ExchangeMode { get; init; }
    /// <summary>
    /// Tests one configured peers_identifier against the identity the peer sent; consulted only for
    /// remotes with `verify_identifier on` (as racoon).
    /// </summary>
    public Func<IdentifierConfig, bool>? PeerIdentityMatches { get; init; }
    /// <summary>Skip `remote anonymous` sections.</summary>
    public bool ExcludeAnonymous { get; init; }
    /// <summary>Skip `passive on` sections (when we are about to initiate).</summary>
    public bool ExcludePassive { get; init; }
}
