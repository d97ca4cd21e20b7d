namespace KernelIpsec.Ike.Sa;

/// <summary>
/// An XAuth client's login for one phase 1 (racoonctl vpn-connect -u USER, or xauth_login with the password from
/// psk.txt). The password is never logged.
/// </summary>
public sealed record XauthCredentials(string Login, byte[] Password)
{
    public override string ToString() => $"XauthCredentials {{ Login = {Login} }}";
}
