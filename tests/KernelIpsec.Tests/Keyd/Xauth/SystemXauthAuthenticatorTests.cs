using System.Text;
using KernelIpsec.Ike.Config;
using KernelIpsec.Keyd.Config;
using KernelIpsec.Keyd.Xauth;
using KernelIpsec.Tests.Infrastructure;
using KernelIpsec.Tests.Keyd.Scripts;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd.Xauth;

/// <summary>`auth_source system` over passwd/shadow/group files, crypt(3) doing the hash check.</summary>
[TestFixture, Category(Tier.Unit)]
public class SystemXauthAuthenticatorTests
{
    // `openssl passwd -6 -salt kEyDtEsTsAlT 'ikev1-rig-xauth-pw-4567'` and `openssl passwd -6 -salt RoOtSaLt rootpw`.
    private const string UserHash = "$6$kEyDtEsTsAlT$poixTpq3DgEj4.UyCtNm1DAsKQ2Mmp9MAR9lpYkJLoVZZvrAF76gOXKETW9nEPlVgYTdv.YBee5heSOTGu66v0";
    private const string RootHash = "$6$RoOtSaLt$Vv7WNKfKAolVPmTiPzD1NBjy5iFV3UAQLF7vq2aOpN6LqWZawv9eXmxmQ7cjQuaWqYQwKTehHv6DkYawsYuC80";
    private string dir = "";
    private ConcurrentLogger logger = null!;
    private SystemXauthAuthenticator auth = null!;

    [SetUp]
    public void SetUp()
    {
        dir = Path.Combine(Path.GetTempPath(), "keyd-xauth-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "passwd"), """
            root:x:0:0:root:/root:/bin/bash
            ikev1rig:x:64101:64101::/nonexistent:/usr/sbin/nologin
            locked:x:64103:64103::/nonexistent:/usr/sbin/nologin
            nopw:x:64104:64104::/nonexistent:/usr/sbin/nologin
            onlypasswd:x:64105:64105::/nonexistent:/usr/sbin/nologin

            """);
        File.WriteAllText(Path.Combine(dir, "shadow"), $"""
            root:{RootHash}:20000:0:99999:7:::
            ikev1rig:{UserHash}:20000:0:99999:7:::
            locked:!{UserHash}:20000:0:99999:7:::
            nopw::20000:0:99999:7:::
            onlyshadow:{UserHash}:20000:0:99999:7:::

            """);
        File.WriteAllText(Path.Combine(dir, "group"), """
            root:x:0:
            vpn:x:64200:alice,ikev1rig
            ikev1rig:x:64101:

            """);
        logger = new ConcurrentLogger();
        auth = new SystemXauthAuthenticator(new FileAccountDatabase(Path.Combine(dir, "passwd"), Path.Combine(dir, "shadow"), Path.Combine(dir, "group")), logger);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(dir, recursive: true);

    private bool Login(string user, string password, out string? reason) => auth.Authenticate(user, Encoding.UTF8.GetBytes(password), out reason);

    [Test]
    public void TheRightPasswordOfASha512CryptShadowEntryLogsIn()
    {
        Assert.That(Login("ikev1rig", "ikev1-rig-xauth-pw-4567", out var reason), Is.True);
        Assert.That(reason, Is.Null);
    }

    [TestCase("not-the-password")]
    [TestCase("ikev1-rig-xauth-pw-456")]
    [TestCase("")]
    public void AWrongPasswordIsRefused(string password)
    {
        Assert.That(Login("ikev1rig", password, out var reason), Is.False);
        Assert.That(reason, Is.EqualTo("password mismatch"));
    }

    [Test]
    public void RootNeverLogsInEvenWithItsPassword()
    {
        Assert.That(Login("root", "rootpw", out var reason), Is.False);
        Assert.That(reason, Is.EqualTo("uid 0 never logs in"));
    }

    [TestCase("nobody-here")]
    [TestCase("onlypasswd")]
    [TestCase("onlyshadow")]
    public void AUserUnknownToPasswdOrShadowIsRefused(string user)
    {
        Assert.That(Login(user, "ikev1-rig-xauth-pw-4567", out var reason), Is.False);
        Assert.That(reason, Is.EqualTo("no such user in the system account database"));
    }

    [TestCase("locked")]
    [TestCase("nopw")]
    public void LockedAndEmptyShadowEntriesLetNobodyIn(string user)
    {
        Assert.That(Login(user, "ikev1-rig-xauth-pw-4567", out _), Is.False);
        Assert.That(Login(user, "", out _), Is.False);
    }

    [Test]
    public void ThePasswordEndsAtItsFirstNulAsACString()
    {
        Assert.That(auth.Authenticate("ikev1rig", [.. Encoding.UTF8.GetBytes("ikev1-rig-xauth-pw-4567"), 0, (byte)'x'], out _), Is.True);
    }

    [Test]
    public void GroupMembershipIsTheGroupsMemberList()
    {
        Assert.That(auth.IsMemberOf("ikev1rig", "vpn"), Is.True);
        Assert.That(logger.Lines, Does.Contain("INFO: membership validated"));
        Assert.That(auth.IsMemberOf("ikev1rig", "ikev1rig"), Is.False, "the primary group is not a member list, as in racoon");
        Assert.That(auth.IsMemberOf("ikev1rig", "staff"), Is.False);
        Assert.That(logger.Lines, Does.Contain("ERROR: the system group name 'staff' is unknown"));
    }

    [Test]
    public void TheFactoryBuildsSystemAndPamAndRefusesTheRest()
    {
        var accounts = new FileAccountDatabase(Path.Combine(dir, "passwd"), Path.Combine(dir, "shadow"), Path.Combine(dir, "group"));
        Assert.That(XauthAuthenticators.For(new ModeConfigServer(), logger, accounts), Is.TypeOf<SystemXauthAuthenticator>());
        Assert.That(XauthAuthenticators.For(new ModeConfigServer { AuthSource = "pam" }, logger, accounts), Is.TypeOf<PamXauthAuthenticator>());
        Assert.That(() => XauthAuthenticators.For(new ModeConfigServer { AuthSource = "radius" }, logger, accounts),
            Throws.TypeOf<NotSupportedException>().With.Message.EqualTo("auth_source radius is not supported by this racoon: use system or pam"));
        Assert.That(() => XauthAuthenticators.For(new ModeConfigServer { GroupSource = "ldap" }, logger, accounts),
            Throws.TypeOf<NotSupportedException>().With.Message.EqualTo("group_source ldap is not supported by this racoon: use system"));
    }

    [TestCase("auth_source radius;", 3, 3, "auth_source radius is not supported by this racoon: use system or pam")]
    [TestCase("auth_source ldap;", 3, 3, "auth_source ldap is not supported by this racoon: use system or pam")]
    [TestCase("group_source ldap;", 3, 3, "group_source ldap is not supported by this racoon: use system")]
    public void RadiusAndLdapAreConfigurationErrorsWithTheirPosition(string statement, int line, int column, string message)
    {
        var path = Path.Combine(dir, "racoon.conf");
        File.WriteAllText(path, "mode_cfg {\n  network4 10.77.9.1;\n  " + statement + "\n}\n");

        var diagnostics = ConfigCheck.Check(path);

        Assert.That(diagnostics.Select(d => d.ToString()), Does.Contain($"{path}:{line}:{column}: error: {message}"));
        Assert.That(RacoonConfLoader.Read(path).Succeeded, Is.False, "racoon refuses to start with it, too");
    }

    [Test]
    public void SystemAndPamSourcesAreAccepted()
    {
        var result = RacoonConfLoader.ReadText("mode_cfg { auth_source pam; group_source system; auth_groups \"vpn\"; }\n", "racoon.conf");
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Config!.ModeConfig!.AuthSource, Is.EqualTo("pam"));
    }
}
