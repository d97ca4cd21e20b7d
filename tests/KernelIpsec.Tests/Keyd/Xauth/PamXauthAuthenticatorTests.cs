using System.Text;
using KernelIpsec.Keyd.Xauth;
using KernelIpsec.Tests.Infrastructure;
using KernelIpsec.Tests.Keyd.Scripts;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd.Xauth;

/// <summary>
/// `auth_source pam` through the real libpam, with a private PAM configuration directory (pam_start_confdir) whose
/// "racoon" service asks pam_exec to check the password it gets through our conversation.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class PamXauthAuthenticatorTests
{
    private string dir = "";
    private PamXauthAuthenticator auth = null!;

    [SetUp]
    public void SetUp()
    {
        Assume.That(File.Exists("/lib/x86_64-linux-gnu/security/pam_exec.so") || File.Exists("/usr/lib/x86_64-linux-gnu/security/pam_exec.so"), "pam_exec.so");
        dir = Path.Combine(Path.GetTempPath(), "keyd-pam-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var check = Path.Combine(dir, "check.sh");
        // pam_exec hands the password on stdin (NUL-terminated) and the login in PAM_USER.
        File.WriteAllText(check, "#!/bin/sh\npw=$(/usr/bin/tr -d '\\000')\n[ \"$PAM_USER\" = alice ] && [ \"$pw\" = 'pam-s3cret' ]\n");
        File.SetUnixFileMode(check, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(dir, "racoon"),
            $"auth required pam_exec.so quiet expose_authtok {check}\nauth optional pam_permit.so\naccount required pam_permit.so\n");
        auth = new PamXauthAuthenticator(new SystemXauthAuthenticator(new FileAccountDatabase("/nonexistent", "/nonexistent", "/nonexistent"), new ConcurrentLogger()),
            configDirectory: dir);
    }

    [TearDown]
    public void TearDown()
    {
        if (dir.Length > 0)
            Directory.Delete(dir, recursive: true);
    }

    [Test]
    public void TheConversationGivesPamThePassword()
    {
        Assert.That(auth.Authenticate("alice", Encoding.UTF8.GetBytes("pam-s3cret"), out var reason), Is.True, reason);
    }

    [Test]
    public void AWrongPasswordOrUserIsRefusedWithPamsWords()
    {
        Assert.That(auth.Authenticate("alice", Encoding.UTF8.GetBytes("wrong"), out var reason), Is.False);
        Assert.That(reason, Does.StartWith("pam_authenticate failed: "));
        Assert.That(auth.Authenticate("bob", Encoding.UTF8.GetBytes("pam-s3cret"), out reason), Is.False);
        Assert.That(reason, Does.StartWith("pam_authenticate failed: "));
    }

    [Test]
    public void AnAccountRefusedByTheAccountStackIsRefused()
    {
        File.WriteAllText(Path.Combine(dir, "racoon"), "auth required pam_permit.so\naccount required pam_deny.so\n");
        Assert.That(auth.Authenticate("alice", Encoding.UTF8.GetBytes("pam-s3cret"), out var reason), Is.False);
        Assert.That(reason, Does.StartWith("pam_acct_mgmt failed: "));
    }
}
