using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Exchanges.Proposals;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Exchanges.Phase1;

/// <summary>
/// The vendor ids a remote-access phase 1 announces: XAuth (draft-beaulieu-ike-xauth-02 4; racoon's server refuses a
/// login from a peer that did not send it, "peer did not declare itself as Xauth capable") and Cisco Unity (the
/// mode-config extensions racoon answers), whenever a proposal of the remote uses an XAuth or hybrid method.
/// </summary>
internal static class RemoteAccessVendorIds
{
    public static IEnumerable<Payload> For(RemoteConfig remote)
    {
        var remoteAccess = remote.AuthenticationMethods.Any(m => Phase1Offer.WireAuthenticationMethod(m) is { } wire
            && Phase1Offer.Family(wire) is Phase1Offer.XauthInitPreShared or Phase1Offer.XauthInitRsa or Phase1Offer.HybridInitRsa);
        return remoteAccess
            ? [new VendorIdPayload(KnownVendorIds.Xauth.ToArray()), new VendorIdPayload(KnownVendorIds.CiscoUnity.ToArray())]
            : [];
    }
}
