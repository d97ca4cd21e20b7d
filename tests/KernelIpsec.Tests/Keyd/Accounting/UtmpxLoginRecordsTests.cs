using System.Diagnostics;
using KernelIpsec.Keyd.Accounting;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd.Accounting;

/// <summary>`accounting system` through the real glibc, into a utmp file of the test's own, read back by who(1).</summary>
[TestFixture, Category(Tier.Unit)]
public class UtmpxLoginRecordsTests
{
    private string file = "";

    [SetUp]
    public void SetUp()
    {
        Assume.That(File.Exists("/usr/bin/who"), "who(1)");
        file = Path.Combine(Path.GetTempPath(), "keyd-utmp-" + Guid.NewGuid().ToString("N"));
        // glibc opens the file, it does not create it.
        File.WriteAllBytes(file, []);
    }

    [TearDown]
    public void TearDown()
    {
        if (file.Length > 0)
            File.Delete(file);
    }

    [Test]
    public void A_login_is_a_user_process_who_lists_and_its_logout_removes_it()
    {
        var records = new UtmpxLoginRecords(file);
        var at = new DateTimeOffset(2026, 12, 8, 1, 2, 0, TimeSpan.Zero);

        records.Login("vpn3", "alice", "192.0.2.7", at);
        records.Login("vpn4", "bob", "2001:db8::9", at);

        var who = Who();
        Assert.That(who, Has.Length.EqualTo(2), string.Join('\n', who));
        Assert.That(who[0], Does.Match(@"^alice\s+vpn3\s+.*\(192\.0\.2\.7\)$"));
        Assert.That(who[1], Does.Match(@"^bob\s+vpn4\s+.*\(2001:db8::9\)$"));
        Assert.That(new FileInfo(file).Length, Is.EqualTo(2 * UtmpxLoginRecords.EntrySize));

        records.Logout("vpn3", at.AddMinutes(5));

        Assert.That(Who(), Is.EqualTo(new[] { who[1] }), "vpn3's entry is a DEAD_PROCESS now, bob stays");
        Assert.That(new FileInfo(file).Length, Is.EqualTo(2 * UtmpxLoginRecords.EntrySize), "the entry was replaced, not appended");
    }

    [Test]
    public void The_entry_carries_the_login_time()
    {
        new UtmpxLoginRecords(file).Login("vpn0", "carol", "198.51.100.2", new DateTimeOffset(2026, 12, 8, 1, 2, 0, TimeSpan.Zero));

        var line = Who("TZ=UTC").Single();
        Assert.That(line, Does.Contain("2026-12-08 01:02"));
    }

    private string[] Who(string? environment = null)
    {
        var start = new ProcessStartInfo("/usr/bin/who", file) { RedirectStandardOutput = true };
        if (environment?.Split('=') is [var name, var value])
            start.Environment[name] = value;
        using var who = Process.Start(start)!;
        var output = who.StandardOutput.ReadToEnd();
        who.WaitForExit();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
