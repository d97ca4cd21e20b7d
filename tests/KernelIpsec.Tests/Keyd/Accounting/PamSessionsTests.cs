using System.Text;
using KernelIpsec.Keyd.Accounting;
using KernelIpsec.Keyd.Xauth;
using KernelIpsec.Tests.Infrastructure;
using KernelIpsec.Tests.Keyd.Scripts;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd.Accounting;

/// <summary>
/// `accounting pam` through the real libpam: the XAuth login's handle (auth_source pam) opens and closes a session,
/// which a private "racoon" service records with pam_exec (PAM_TYPE open_session / close_session).
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class PamSessionsTests
{
    private string dir = "";
    private string journal = "";

    [SetUp]
    public void SetUp()
    {
        Assume.That(File.Exists("/lib/x86_64-linux-gnu/security/pam_exec.so") || File.Exists("/usr/lib/x86_64-linux-gnu/security/pam_exec.so"), "pam_exec.so");
        dir = Path.Combine(Path.GetTempPath(), "keyd-pam-session-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        journal = Path.Combine(dir, "sessions.log");
        var record = Path.Combine(dir, "record.sh");
        File.WriteAllText(record, $"#!/bin/sh\necho \"$PAM_TYPE $PAM_USER\" >> {journal}\n");
        File.SetUnixFileMode(record, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(dir, "racoon"),
            $"auth required pam_permit.so\naccount required pam_permit.so\nsession required pam_exec.so {record}\n");
    }

    [TearDown]
    public void TearDown()
    {
        if (dir.Length > 0)
            Directory.Delete(dir, recursive: true);
    }

    private PamXauthAuthenticator Authenticator(PamSessions? sessions) =>
        new(new SystemXauthAuthenticator(new FileAccountDatabase("/nonexistent", "/nonexistent", "/nonexistent"), new ConcurrentLogger()),
            configDirectory: dir, sessions: sessions);

    private string[] Journal() => File.Exists(journal) ? File.ReadAllLines(journal) : [];

    [Test]
    public void The_login_handle_opens_and_closes_the_session()
    {
        using var sessions = new PamSessions();
        Assert.That(Authenticator(sessions).Authenticate("alice", Encoding.UTF8.GetBytes("pw"), out var reason), Is.True, reason);
        Assert.That(Journal(), Is.Empty, "no session before the address is handed out");

        Assert.That(sessions.Open("alice", out var error), Is.True, error);
        Assert.That(Journal(), Is.EqualTo(new[] { "open_session alice" }));
        Assert.That(sessions.Close("alice", out error), Is.True, error);
        Assert.That(Journal(), Is.EqualTo(new[] { "open_session alice", "close_session alice" }));
        Assert.That(sessions.Close("alice", out error), Is.False);
        Assert.That(error, Is.EqualTo("pam handle is NULL"));
    }

    [Test]
    public void Without_a_login_there_is_no_handle_as_racoon_says()
    {
        using var sessions = new PamSessions();
        Assert.That(Authenticator(null).Authenticate("alice", Encoding.UTF8.GetBytes("pw"), out _), Is.True);

        Assert.That(sessions.Open("alice", out var error), Is.False, "a login checked without accounting pam keeps no handle");
        Assert.That(error, Is.EqualTo("pam handle is NULL"));
        Assert.That(sessions.Open("bob", out error), Is.False);
    }

    [Test]
    public void A_session_the_stack_refuses_is_reported_with_pams_words()
    {
        File.WriteAllText(Path.Combine(dir, "racoon"), "auth required pam_permit.so\naccount required pam_permit.so\nsession required pam_deny.so\n");
        using var sessions = new PamSessions();
        Assert.That(Authenticator(sessions).Authenticate("alice", Encoding.UTF8.GetBytes("pw"), out _), Is.True);

        Assert.That(sessions.Open("alice", out var error), Is.False);
        Assert.That(error, Does.StartWith("pam_open_session/pam_close_session failed: "));
    }
}
