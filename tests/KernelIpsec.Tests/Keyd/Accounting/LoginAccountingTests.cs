using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Keyd.Accounting;
using KernelIpsec.Tests.Ike.Exchanges.RemoteAccess;
using KernelIpsec.Tests.Infrastructure;
using KernelIpsec.Tests.Keyd.Scripts;
using NUnit.Framework;
using static KernelIpsec.Tests.Ike.Exchanges.RemoteAccess.RemoteAccessSetup;

namespace KernelIpsec.Tests.Keyd.Accounting;

/// <summary>
/// `mode_cfg { accounting system | pam; }` on the engine's Phase1Up / Phase1Down: a login recorded on line vpnSLOT
/// when the server hands an XAuth user an address, and recorded as over when that phase 1 goes.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class LoginAccountingTests
{
    private static readonly IPEndPoint Local = new(IPAddress.Parse("192.0.2.1"), 500);
    private static readonly IPEndPoint Peer = new(IPAddress.Parse("192.0.2.7"), 500);

    private readonly TimeProvider time = TimeProvider.System;
    private FakeRecords records = null!;
    private FakePam pam = null!;
    private ConcurrentLogger log = null!;

    [SetUp]
    public void SetUp()
    {
        records = new FakeRecords();
        pam = new FakePam();
        log = new ConcurrentLogger();
    }

    private LoginAccounting Accounting(string mode) =>
        new(() => new RacoonConfig { ModeConfig = new ModeConfigServer { Accounting = mode } }, records, pam, time, log);

    private static Phase1Up Up(ulong cookie, int? slot, string? user) =>
        new(Local, Peer, cookie, 1, new Phase1Details("peer", user, new ModeCfgAttributes { Address4 = IPAddress.Parse("10.9.0.1") }, slot));

    private static Phase1Down Down(ulong cookie) => new(Local, Peer, cookie, 1, "deleted");

    [Test]
    public void The_engine_names_the_pool_slot_and_system_accounting_records_the_login_and_its_end()
    {
        using var pair = CreatePair(new Accounts());
        Connect(pair);
        var accounting = Accounting("system");
        foreach (var up in pair.Right.Phase1Ups)
            accounting.Observe(up);

        Assert.That(pair.Right.Phase1Ups.Single().Details!.PoolSlot, Is.EqualTo(0), "network4 + 0 is slot 0");
        Assert.That(pair.Left.Phase1Ups.Single().Details!.PoolSlot, Is.Null, "a client holds no slot");
        Assert.That(records.Calls, Is.EqualTo(new[] { $"login vpn0 {User} {pair.Left.Endpoint.Address}" }));
        Assert.That(log.Lines, Does.Contain($"INFO: Accounting : '{User}' logging on 'vpn0' from {pair.Left.Endpoint.Address}."));

        pair.Run(pair.Right, pair.Right.Engine.LogoutUser(User));
        foreach (var down in pair.Right.Phase1Downs)
            accounting.Observe(down);

        Assert.That(records.Calls, Is.EqualTo(new[] { $"login vpn0 {User} {pair.Left.Endpoint.Address}", "logout vpn0" }));
        Assert.That(log.Lines, Does.Contain($"INFO: Accounting : '{User}' unlogging from 'vpn0'."));
        Assert.That(accounting.Lines, Is.Empty);
    }

    [Test]
    public void Two_phase_1s_sharing_a_lease_are_one_login_over_when_the_last_goes()
    {
        var accounting = Accounting("system");
        accounting.Observe(Up(1, 3, "alice"));
        accounting.Observe(Up(2, 3, "alice"));
        accounting.Observe(Up(3, 4, "bob"));
        accounting.Observe(Down(1));

        Assert.That(records.Calls, Is.EqualTo(new[] { "login vpn3 alice 192.0.2.7", "login vpn4 bob 192.0.2.7" }));
        accounting.Observe(Down(2));
        accounting.Observe(Down(3));
        Assert.That(records.Calls, Is.EqualTo(new[] { "login vpn3 alice 192.0.2.7", "login vpn4 bob 192.0.2.7", "logout vpn3", "logout vpn4" }));
    }

    [Test]
    public void No_address_no_login_and_no_xauth_user_is_racoons_error()
    {
        var accounting = Accounting("system");
        accounting.Observe(Up(1, null, "alice"));
        accounting.Observe(Up(2, 5, null));
        accounting.Observe(Down(1));
        accounting.Observe(Down(2));

        Assert.That(records.Calls, Is.Empty);
        Assert.That(log.Lines, Does.Contain("ERROR: system accounting : no login found"));
    }

    [Test]
    public void Accounting_none_records_nothing()
    {
        var accounting = Accounting("none");
        accounting.Observe(Up(1, 0, "alice"));
        accounting.Observe(Down(1));
        Assert.That(records.Calls.Concat(pam.Calls), Is.Empty);
    }

    [Test]
    public void Pam_accounting_opens_the_logins_session_and_closes_it_when_the_phase_1_goes()
    {
        var accounting = Accounting("pam");
        accounting.Observe(Up(1, 2, "alice"));
        Assert.That(pam.Calls, Is.EqualTo(new[] { "open alice" }));
        accounting.Observe(Down(1));
        Assert.That(pam.Calls, Is.EqualTo(new[] { "open alice", "close alice" }));
        Assert.That(records.Calls, Is.Empty);
    }

    [Test]
    public void A_failed_pam_session_is_logged_and_nothing_is_closed_later()
    {
        pam.Refuse = "pam handle is NULL";
        var accounting = Accounting("pam");
        accounting.Observe(Up(1, 2, "alice"));
        accounting.Observe(Down(1));

        Assert.That(pam.Calls, Is.EqualTo(new[] { "open alice" }));
        Assert.That(log.Lines, Does.Contain("ERROR: Accounting failed: pam handle is NULL"));
    }

    [Test]
    public void A_utmp_that_cannot_be_written_is_logged_and_the_daemon_goes_on()
    {
        var accounting = new LoginAccounting(() => new RacoonConfig { ModeConfig = new ModeConfigServer { Accounting = "system" } },
            new UtmpxLoginRecords("/nonexistent/kernelipsec/utmp"), pam, time, log);
        accounting.Observe(Up(1, 2, "alice"));

        Assert.That(log.Lines.Any(l => l.StartsWith("ERROR: Accounting failed: ", StringComparison.Ordinal)), log.ToString());
        Assert.That(accounting.Lines, Is.Empty);
    }

    private sealed class FakeRecords : ILoginRecords
    {
        public List<string> Calls { get; } = [];

        public void Login(string line, string user, string host, DateTimeOffset at) => Calls.Add($"login {line} {user} {host}");

        public void Logout(string line, DateTimeOffset at) => Calls.Add($"logout {line}");
    }

    private sealed class FakePam : IPamSessions
    {
        public List<string> Calls { get; } = [];
        public string? Refuse { get; set; }

        public bool Open(string user, out string? error)
        {
            Calls.Add($"open {user}");
            error = Refuse;
            return Refuse is null;
        }

        public bool Close(string user, out string? error)
        {
            Calls.Add($"close {user}");
            error = null;
            return true;
        }
    }
}
