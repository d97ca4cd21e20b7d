using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Exchanges.Proposals;

namespace KernelIpsec.Ike.Exchanges.Transaction;

/// <summary>Which side of XAuth this host is on for one ISAKMP SA.</summary>
internal enum XauthRole
{
    None,
    Server,
    Client,
}

internal static class XauthRoles
{
    /// <summary>
    /// As racoon: the role comes from our own configuration (<c>xauth_psk_server</c> / <c>xauth_psk_client</c> ...),
    /// of the proposal that matched the negotiated method, whichever side initiated phase 1.
    /// </summary>
    public static XauthRole For(RemoteConfig remote, ushort negotiated)
    {
        var family = Phase1Offer.Family(negotiated);
        foreach (var method in remote.AuthenticationMethods)
        {
            if (Phase1Offer.WireAuthenticationMethod(method) is not { } wire || Phase1Offer.Family(wire) != family)
            {
                continue;
            }
            return method switch
            {
                AuthenticationMethod.XauthPskServer or AuthenticationMethod.XauthRsaServer or AuthenticationMethod.HybridRsaServer => XauthRole.Server,
                AuthenticationMethod.XauthPskClient or AuthenticationMethod.XauthRsaClient or AuthenticationMethod.HybridRsaClient => XauthRole.Client,
                _ => XauthRole.None,
            };
        }
        return XauthRole.None;
    }
}
