namespace KernelIpsec.Ike.Config;

/// <summary>
/// Phase 1 `authentication_method`. Names follow racoon.conf; the wire value depends on the role
/// for the hybrid and XAuth methods (initiator/responder variants), so the exchanges map them.
/// </summary>
public enum AuthenticationMethod
{
    PreSharedKey,
    DssSignature,
    RsaSignature,
    RsaEncryption,
    RsaRevisedEncryption,
    GssApiKerberos,
    HybridRsaServer,
    HybridRsaClient,
    HybridDssServer,
    HybridDssClient,
    XauthPskServer,
    XauthPskClient,
    XauthRsaServer,
    XauthRsaClient,
    XauthDssServer,
    XauthDssClient,
}
