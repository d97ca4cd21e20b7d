using System.Net;
using System.Text;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;
using AuthenticationMethod = KernelIpsec.Ike.Config.AuthenticationMethod;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;
using static KernelIpsec.Tests.Ike.Exchanges.RemoteAccess.RemoteAccessSetup;

namespace KernelIpsec.Tests.Ike.Exchanges.RemoteAccess;

/// <summary>XAuth (PSK) and Mode Config between two engines, as racoon's road warrior and gateway run them.</summary>
[TestFixture, Category(Tier.Unit)]
public class XauthModeConfigTests
{
    private static readonly IPAddress FirstAddress = IPAddress.Parse("10.77.9.1");

    [Test]
    public void Xauth_login_then_mode_config_pull_hand_the_client_an_address_and_phase1_up_carries_what_the_scripts_export()
    {
        var accounts = new Accounts();
        using var pair = CreatePair(accounts);

        Connect(pair);

        var server = pair.Right.Phase1Ups.Single().Details!;
        var client = pair.Left.Phase1Ups.Single().Details!;
        var got = client.ModeCfg!;
        Assert.Multiple(() =>
        {
            Assert.That(pair.Right.Log.Contains("INFO: Sending Xauth request"), pair.Right.Log.ToString());
            Assert.That(pair.Right.Log.Contains($"INFO: login succeeded for user \"{User}\""), pair.Right.Log.ToString());
            Assert.That(pair.Left.Log.Contains("INFO: Xauth authentication succeeded"), pair.Left.Log.ToString());
            Assert.That(accounts.Checked, Is.EqualTo(new[] { User }));
            Assert.That(server.XauthUser, Is.EqualTo(User));
            Assert.That(server.PeerId, Is.EqualTo("10.77.0.1"));
            Assert.That(server.ModeCfg!.Address4, Is.EqualTo(FirstAddress), "the first client gets network4 + 0");
            Assert.That(client.XauthUser, Is.EqualTo(User));
            Assert.That(got.Address4, Is.EqualTo(FirstAddress));
            Assert.That(got.Netmask4, Is.EqualTo(IPAddress.Parse("255.255.255.0")));
            Assert.That(got.Dns4, Is.EqualTo(new[] { IPAddress.Parse("10.77.9.53") }));
            Assert.That(got.Wins4, Is.EqualTo(new[] { IPAddress.Parse("10.77.9.54") }));
            Assert.That(got.SplitInclude, Is.EqualTo(new[] { IPNetwork.Parse("10.77.1.0/24") }));
            Assert.That(got.SplitLocal, Is.EqualTo(new[] { IPNetwork.Parse("192.168.0.0/16") }));
            Assert.That(got.SplitDns, Is.EqualTo(new[] { "corp.example" }));
            Assert.That(got.DefaultDomain, Is.EqualTo("corp.example"));
            Assert.That(got.Banner, Is.Null, "no banner file, no banner");
            Assert.That(pair.Left.Engine.Phase1Sas.Single().Established && pair.Right.Engine.Phase1Sas.Single().Established);
            Assert.That(pair.Right.Engine.Inner.XauthUsers, Is.EqualTo(new[] { (User, pair.Left.Endpoint) }));
            Assert.That(pair.Left.Log.ToString() + pair.Right.Log, Does.Not.Contain(Password), "the password is never logged");
        });
        var first = pair.Sent[0].Bytes;
        Assert.That(first.AsSpan().IndexOf(KnownVendorIds.Xauth) > 0 && first.AsSpan().IndexOf(KnownVendorIds.CiscoUnity) > 0,
            "the client announces XAuth and Unity (racoon's server wants the XAuth vendor id)");
        var transactions = pair.Sent.Where(s => ExchangeOf(s.Bytes) == (byte)ExchangeType.Transaction).ToList();
        Assert.That(transactions.Select(t => t.From.Name), Is.EqualTo(new[] { "right", "left", "right", "left", "left", "right" }),
            "REQUEST, REPLY, SET, ACK (XAuth), then REQUEST, REPLY (Mode Config)");
        Assert.That(transactions.All(t => (t.Bytes[19] & (byte)IsakmpFlags.Encryption) != 0), "every Transaction message is encrypted");
        Assert.That(transactions.All(t => t.Bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Password)) < 0),
            "the password does not travel in the clear");
    }

    [Test]
    public void A_wrong_password_gets_racoons_line_a_failure_status_the_phase1_deleted_and_the_peer_throttled()
    {
        var accounts = new Accounts();
        accounts.Passwords[User] = "ikev1-rig-xauth-pw-other";
        using var pair = CreatePair(accounts);

        Connect(pair);

        Assert.Multiple(() =>
        {
            Assert.That(pair.Right.Log.Contains($"INFO: login failed for user \"{User}\""), pair.Right.Log.ToString());
            Assert.That(pair.Left.Log.Contains("ERROR: Xauth authentication failed"), pair.Left.Log.ToString());
            Assert.That(pair.Left.Phase1Ups, Is.Empty, "no phase1_up without a login");
            Assert.That(pair.Right.Phase1Ups, Is.Empty);
            Assert.That(pair.Right.Phase1Downs, Has.Count.EqualTo(1), "racoon deletes the phase 1 (phase1_down runs)");
            Assert.That(pair.Left.Phase1Downs, Has.Count.EqualTo(1));
            Assert.That(pair.Left.Engine.Phase1Sas, Is.Empty);
            Assert.That(pair.Right.Engine.Phase1Sas, Is.Empty);
            Assert.That(pair.Right.Engine.Inner.XauthUsers, Is.Empty);
        });

        // The right password at once: the peer is throttled for auth_throttle, the login fails anyway.
        accounts.Passwords[User] = Password;
        Connect(pair);
        Assert.That(pair.Right.Log.Contains("ERROR: Throttling in action for 10.77.0.1: delay 1s"), pair.Right.Log.ToString());
        Assert.That(pair.Right.Phase1Ups, Is.Empty);

        // After the throttle the login goes through, and the failed attempts leaked no address: the first one is given.
        pair.Clock.Advance(TimeSpan.FromSeconds(2));
        Connect(pair);
        Assert.That(pair.Right.Phase1Ups.Single().Details!.ModeCfg!.Address4, Is.EqualTo(FirstAddress), pair.Right.Log.ToString());
        Assert.That(pair.Left.Phase1Ups.Single().Details!.ModeCfg!.Address4, Is.EqualTo(FirstAddress));
    }

    [Test]
    public void An_exhausted_pool_refuses_the_login_with_a_clear_log_line()
    {
        using var pair = CreatePair(new Accounts(), pool: Pool(size: 0));

        Connect(pair);

        Assert.Multiple(() =>
        {
            Assert.That(pair.Right.Log.Contains("ERROR: No more addresses available (pool_size 0, all in use)"), pair.Right.Log.ToString());
            Assert.That(pair.Right.Log.Contains("ERROR: Port pool depleted"), pair.Right.Log.ToString());
            Assert.That(pair.Right.Log.Contains($"INFO: login failed for user \"{User}\""), pair.Right.Log.ToString());
            Assert.That(pair.Left.Phase1Ups, Is.Empty);
        });
    }

    [Test]
    public void Auth_groups_refuse_a_user_outside_them()
    {
        var accounts = new Accounts();
        using var pair = CreatePair(accounts, pool: Pool() with { AuthGroups = ["vpnusers"] });

        Connect(pair);
        Assert.That(pair.Right.Log.Contains($"ERROR: not a member of auth_groups vpnusers for user \"{User}\""), pair.Right.Log.ToString());
        Assert.That(pair.Right.Phase1Ups, Is.Empty);

        accounts.Groups[User] = ["vpnusers"];
        pair.Clock.Advance(TimeSpan.FromSeconds(2));
        Connect(pair);
        Assert.That(pair.Right.Phase1Ups.Single().Details!.XauthUser, Is.EqualTo(User), pair.Right.Log.ToString());
    }

    [Test]
    public void Racoonctl_credentials_take_the_place_of_xauth_login_and_psk_txt()
    {
        using var pair = CreatePair(new Accounts(), clientPassword: "not-the-password");

        Connect(pair, new XauthCredentials(User, Encoding.UTF8.GetBytes(Password)));

        Assert.That(pair.Left.Phase1Ups.Single().Details!.ModeCfg!.Address4, Is.EqualTo(FirstAddress), pair.Right.Log.ToString());
    }

    [Test]
    public void Without_mode_cfg_on_the_client_gets_no_configuration_and_phase1_up_follows_the_login()
    {
        using var pair = CreatePair(new Accounts(), clientModeConfig: false);

        Connect(pair);

        Assert.Multiple(() =>
        {
            Assert.That(pair.Left.Phase1Ups.Single().Details!.ModeCfg, Is.Null);
            Assert.That(pair.Left.Phase1Ups.Single().Details!.XauthUser, Is.EqualTo(User));
            Assert.That(pair.Right.Engine.Inner.XauthUsers, Has.Count.EqualTo(1));
            Assert.That(pair.Sent.Count(s => ExchangeOf(s.Bytes) == (byte)ExchangeType.Transaction), Is.EqualTo(4), "XAuth only");
        });
    }

    [Test]
    public void A_quick_mode_waits_for_xauth_and_mode_config_then_the_sas_install_and_logout_user_deletes_them()
    {
        var scenario = new Scenario();
        using var pair = CreatePair(new Accounts());

        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));

        MainModePskTests.AssertMatchingSas(pair, IpsecSaProtocol.Esp, IpsecSaMode.Transport, 3, 192, 2);
        var lastTransaction = pair.Sent.FindLastIndex(s => ExchangeOf(s.Bytes) == (byte)ExchangeType.Transaction);
        var firstQuickMode = pair.Sent.FindIndex(s => ExchangeOf(s.Bytes) == (byte)ExchangeType.QuickMode);
        Assert.That(firstQuickMode, Is.GreaterThan(lastTransaction), "phase 2 starts after XAuth and Mode Config");
        Assert.That(pair.Right.Log.Contains("Attempt to start phase 2"), Is.False);

        var installed = pair.Right.Installed.Single();
        pair.Run(pair.Right, pair.Right.Engine.LogoutUser(User));

        Assert.Multiple(() =>
        {
            Assert.That(pair.Right.Deleted.Select(d => d.Spi), Is.EquivalentTo(new[] { installed.InboundSpi, installed.OutboundSpi }));
            Assert.That(pair.Right.Engine.IpsecSas, Is.Empty);
            Assert.That(pair.Right.Phase1Downs.Single().Details!.XauthUser, Is.EqualTo(User));
            Assert.That(pair.Right.Engine.Phase1Sas, Is.Empty);
            Assert.That(pair.Right.Engine.Inner.XauthUsers, Is.Empty);
            Assert.That(pair.Right.Log.Contains("INFO: Released port 0"), pair.Right.Log.ToString());
            Assert.That(pair.Left.Phase1Downs, Has.Count.EqualTo(1), "the client heard the DELETE");
        });
    }

    [Test]
    public void Logout_user_also_removes_the_policy_generate_policy_made_for_that_user()
    {
        var scenario = new Scenario();
        using var pair = CreatePair(new Accounts(), generatePolicy: GeneratePolicyMode.On);

        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));
        var generated = (InstallPolicy)pair.Right.PolicyChanges.Single();
        pair.Run(pair.Right, pair.Right.Engine.LogoutUser(User));

        Assert.That(pair.Right.PolicyChanges.OfType<DeletePolicy>().Select(d => d.Policy), Is.EqualTo(new[] { generated.Policy }), pair.Right.Log.ToString());
        Assert.That(pair.Right.Engine.IpsecSas, Is.Empty);
    }

    [Test]
    public void Xauth_with_rsa_signatures_logs_in_after_a_signed_phase1()
    {
        using var ca = TestCertificates.CreateCa("ikev1-rig CA");
        using var left = TestCertificates.CreateLeaf(ca, "left.ikev1.test", Scenario.LeftAddress, "left.ikev1.test");
        using var right = TestCertificates.CreateLeaf(ca, "right.ikev1.test", Scenario.RightAddress, "right.ikev1.test");
        var scenario = new Scenario
        {
            LeftId = new IdentifierConfig(IdentifierType.Asn1Dn, null),
            RightId = new IdentifierConfig(IdentifierType.Asn1Dn, null),
        };
        using var pair = CreatePair(new Accounts(), client: AuthenticationMethod.XauthRsaClient, server: AuthenticationMethod.XauthRsaServer,
            scenario: scenario, leftCerts: new CaVerifier(ca, left), rightCerts: new CaVerifier(ca, right));

        Connect(pair);

        Assert.That(pair.Right.Log.Contains($"INFO: login succeeded for user \"{User}\""), pair.Left.Log + "\n" + pair.Right.Log);
        Assert.That(pair.Right.Phase1Ups.Single().Details!.PeerId, Does.Contain("CN=left.ikev1.test"));
        Assert.That(pair.Left.Phase1Ups.Single().Details!.ModeCfg!.Address4, Is.EqualTo(FirstAddress));
    }

    [Test]
    public void Hybrid_rsa_only_the_server_signs_the_client_sends_a_hash_then_logs_in()
    {
        using var ca = TestCertificates.CreateCa("ikev1-rig CA");
        using var right = TestCertificates.CreateLeaf(ca, "right.ikev1.test", Scenario.RightAddress, "right.ikev1.test");
        var scenario = new Scenario { RightId = new IdentifierConfig(IdentifierType.Asn1Dn, null) };
        // The client holds no certificate of its own: only the CA to check the gateway's.
        using var pair = CreatePair(new Accounts(), client: AuthenticationMethod.HybridRsaClient, server: AuthenticationMethod.HybridRsaServer,
            scenario: scenario, leftCerts: new CaVerifier(ca, null), rightCerts: new CaVerifier(ca, right));

        Connect(pair);

        Assert.That(pair.Right.Log.Contains($"INFO: login succeeded for user \"{User}\""), pair.Left.Log + "\n" + pair.Right.Log);
        Assert.That(pair.Left.Phase1Ups.Single().Details!.PeerId, Does.Contain("CN=right.ikev1.test"));
        Assert.That(pair.Left.Phase1Ups.Single().Details!.ModeCfg!.Address4, Is.EqualTo(FirstAddress));
        // The client has no certificate: had it tried to sign, its phase 1 would have aborted ("no certificate configured").
        Assert.That(pair.Left.Log.Contains("no certificate configured"), Is.False, pair.Left.Log.ToString());
    }

    [Test]
    public void A_plain_psk_peer_offering_no_xauth_is_refused_by_an_xauth_server()
    {
        using var pair = CreatePair(new Accounts(), client: AuthenticationMethod.PreSharedKey);

        Connect(pair);
        pair.RunTimers(TimeSpan.FromMinutes(2));

        Assert.That(pair.Right.Log.Contains("no suitable proposal found"), pair.Right.Log.ToString());
        Assert.That(pair.Right.Phase1Ups, Is.Empty);
    }

    [Test]
    public void Lost_messages_are_resent_and_a_resent_set_gets_the_ack_again()
    {
        using var pair = CreatePair(new Accounts());
        // Drop the client's first XAuth REPLY and its first ACK: the server resends REQUEST and SET, the client answers each again.
        var droppedReply = false;
        var droppedAck = false;
        var clientTransactions = 0;
        pair.Filter = (_, from, bytes) =>
        {
            if (from != pair.Left || ExchangeOf(bytes) != (byte)ExchangeType.Transaction)
            {
                return bytes;
            }
            clientTransactions++;
            if (clientTransactions == 1 && !droppedReply)
            {
                droppedReply = true;
                return null;
            }
            if (clientTransactions == 3 && !droppedAck)
            {
                droppedAck = true;
                return null;
            }
            return bytes;
        };

        Connect(pair);
        pair.RunTimers(TimeSpan.FromSeconds(60));

        Assert.Multiple(() =>
        {
            Assert.That(droppedReply && droppedAck);
            Assert.That(pair.Right.Phase1Ups.Single().Details!.XauthUser, Is.EqualTo(User), pair.Right.Log.ToString());
            Assert.That(pair.Left.Phase1Ups.Single().Details!.ModeCfg!.Address4, Is.EqualTo(FirstAddress), pair.Left.Log.ToString());
            Assert.That(pair.Right.Log.Lines.Count(l => l.Contains("login succeeded", StringComparison.Ordinal)), Is.EqualTo(1), "one login, not two");
            Assert.That(pair.Right.Engine.Phase1Sas.Single().Established, pair.Right.Log.ToString());
        });
    }

    [Test]
    public void A_client_that_never_answers_loses_its_phase1_when_the_resends_are_spent()
    {
        using var pair = CreatePair(new Accounts());
        pair.Filter = (_, from, bytes) => from == pair.Left && ExchangeOf(bytes) == (byte)ExchangeType.Transaction ? null : bytes;

        Connect(pair);
        pair.RunTimers(TimeSpan.FromMinutes(5));

        Assert.That(pair.Right.Engine.Phase1Sas, Is.Empty, pair.Right.Log.ToString());
        Assert.That(pair.Right.Log.Contains("XAuth/Mode Config did not complete in time"), pair.Right.Log.ToString());
        Assert.That(pair.Right.Phase1Ups, Is.Empty);
    }

    [Test]
    public void A_transaction_before_phase1_is_done_or_for_no_sa_is_ignored_and_logged()
    {
        using var pair = CreatePair(new Accounts());
        // Let main mode's first two messages through, then nothing: the responder's SA is negotiating.
        pair.Filter = (n, _, bytes) => n <= 2 ? bytes : null;
        Connect(pair);
        var cookies = pair.Sent[1].Bytes.AsSpan(0, 16).ToArray();
        byte[] Transaction(byte[] cookiePair)
        {
            var datagram = new byte[28 + 32];
            cookiePair.CopyTo(datagram, 0);
            datagram[16] = (byte)PayloadType.Hash;
            datagram[17] = 0x10;
            datagram[18] = (byte)ExchangeType.Transaction;
            datagram[19] = (byte)IsakmpFlags.Encryption;
            datagram[23] = 7;
            datagram[27] = (byte)datagram.Length;
            return datagram;
        }

        var early = pair.Right.Engine.HandleDatagram(pair.Right.Endpoint, pair.Left.Endpoint, Transaction(cookies));
        var unknown = pair.Right.Engine.HandleDatagram(pair.Right.Endpoint, pair.Left.Endpoint, Transaction([.. Enumerable.Repeat((byte)0x5a, 16)]));

        Assert.Multiple(() =>
        {
            Assert.That(early.OfType<SendDatagram>(), Is.Empty);
            Assert.That(unknown.OfType<SendDatagram>(), Is.Empty);
            Assert.That(pair.Right.Log.Contains("ERROR: mode config packet ignored: ISAKMP mode config exchange with immature phase 1"), pair.Right.Log.ToString());
            Assert.That(pair.Right.Log.Contains("ERROR: mode config packet ignored: unknown ISAKMP-SA"), pair.Right.Log.ToString());
            Assert.That(pair.Right.Log.Contains("internal error"), Is.False);
        });
    }
}
