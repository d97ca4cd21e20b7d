using System.Net;
using System.Text;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Exchanges.Transaction;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;
using static KernelIpsec.Tests.Ike.Exchanges.RemoteAccess.TransactionHarness;

namespace KernelIpsec.Tests.Ike.Exchanges.RemoteAccess;

/// <summary>The Transaction exchange against a peer that misbehaves: refused and logged, nothing given away, nothing broken.</summary>
[TestFixture, Category(Tier.Unit)]
public class TransactionExchangeTests
{
    private static DataAttribute User(string name) => DataAttribute.Variable((ushort)ModeCfgAttributeType.XauthUserName, Encoding.UTF8.GetBytes(name));

    private static DataAttribute Password(string password) => DataAttribute.Variable((ushort)ModeCfgAttributeType.XauthUserPassword, Encoding.UTF8.GetBytes(password));

    private static readonly DataAttribute GoodUser = User(RemoteAccessSetup.User);
    private static readonly DataAttribute GoodPassword = Password(RemoteAccessSetup.Password);

    [Test]
    public void The_client_and_server_exchanges_run_xauth_and_mode_config_to_completion()
    {
        using var h = new TransactionHarness(XauthRole.Server);
        h.ClientExchange.Start();
        var toClient = Datagrams(h.ServerExchange.Start());
        var guard = 0;
        while (toClient.Count > 0 && ++guard < 10)
        {
            var toServer = toClient.SelectMany(d => Datagrams(Deliver(h.ClientExchange, d))).ToList();
            toClient = [.. toServer.SelectMany(d => Datagrams(Deliver(h.ServerExchange, d)))];
        }
        Assert.Multiple(() =>
        {
            Assert.That(h.ServerExchange.Completed && h.ClientExchange.Completed);
            Assert.That(h.ServerExchange.XauthUser, Is.EqualTo(RemoteAccessSetup.User));
            Assert.That(h.ClientExchange.Attributes!.Address4, Is.EqualTo(IPAddress.Parse("10.77.9.1")));
            Assert.That(h.ServerPool.InUse, Is.EqualTo(1));
            Assert.That(h.ServerExchange.ReleaseLease(), Is.EqualTo(0), "the phase 1 goes: its slot is free");
            Assert.That(h.ServerPool.InUse, Is.Zero);
        });
    }

    [Test]
    public void An_xauth_reply_without_a_request_is_refused_and_takes_no_address()
    {
        using var h = new TransactionHarness(XauthRole.Server);
        const uint id = 0x0badf00d;
        var forged = Seal(h.Client, id, h.Client.Phase2Iv(id), new AttributePayload(ModeCfgMessageType.Reply, 7, [GoodUser, GoodPassword]));

        var e = Assert.Throws<ExchangeException>(() => Deliver(h.ServerExchange, forged));

        Assert.That(e!.Message, Does.Contain("Xauth reply while no request is outstanding"));
        Assert.That(e.Fatal, Is.False);
        Assert.That(h.Accounts.Checked, Is.Empty, "no login was attempted");
        Assert.That(h.ServerPool.InUse, Is.Zero, "no address leaked from the pool");
    }

    private static readonly object[] BadReplies =
    [
        new object[] { "duplicated user name", new[] { GoodUser, User("root"), GoodPassword }, "XauthUserName more than once" },
        new object[] { "oversized user name", new[] { User(new string('a', 300)), GoodPassword }, "XauthUserName of 300 bytes, at most 255 allowed" },
        new object[] { "unknown type", new[] { GoodUser, GoodPassword, DataAttribute.Variable(30000, [1, 2]) }, "unknown attribute type 30000" },
        new object[] { "oversized address", new[] { GoodUser, GoodPassword, DataAttribute.Variable(1, [10, 0, 0, 1, 0]) }, "InternalIp4Address of 5 bytes" },
    ];

    [TestCaseSource(nameof(BadReplies))]
    public void A_bad_reply_is_refused_without_a_login_and_a_good_one_is_still_taken(string what, DataAttribute[] attributes, string expected)
    {
        using var h = new TransactionHarness(XauthRole.Server);
        var request = Datagrams(h.ServerExchange.Start()).Single();
        var (id, iv) = Continuation(request);

        var e = Assert.Throws<ExchangeException>(() => Deliver(h.ServerExchange, Seal(h.Client, id, iv, new AttributePayload(ModeCfgMessageType.Reply, 1, attributes))), what);
        Assert.That(e!.Message, Does.Contain(expected));
        Assert.That(h.Accounts.Checked, Is.Empty);
        Assert.That(h.ServerPool.InUse, Is.Zero);

        var status = Datagrams(Deliver(h.ServerExchange, Seal(h.Client, id, iv, new AttributePayload(ModeCfgMessageType.Reply, 1, [GoodUser, GoodPassword]))));
        Assert.That(status, Has.Count.EqualTo(1));
        Assert.That(h.ServerLog.Contains($"INFO: login succeeded for user \"{RemoteAccessSetup.User}\""), h.ServerLog.ToString());
    }

    [Test]
    public void A_forged_hash_is_refused_and_the_cbc_chain_does_not_move()
    {
        using var h = new TransactionHarness(XauthRole.Server);
        var (id, iv) = Continuation(Datagrams(h.ServerExchange.Start()).Single());

        var e = Assert.Throws<ExchangeException>(() => Deliver(h.ServerExchange,
            Seal(h.Client, id, iv, new AttributePayload(ModeCfgMessageType.Reply, 1, [GoodUser, GoodPassword]), forgeHash: true)));
        Assert.That(e!.Message, Does.Contain("Hash verification failed"));

        Deliver(h.ServerExchange, Seal(h.Client, id, iv, new AttributePayload(ModeCfgMessageType.Reply, 1, [GoodUser, GoodPassword])));
        Assert.That(h.ServerExchange.XauthOk);
    }

    [Test]
    public void A_config_request_before_the_login_gets_no_address()
    {
        using var h = new TransactionHarness(XauthRole.Server);
        h.ServerExchange.Start();
        const uint id = 0x01010101;

        var e = Assert.Throws<ExchangeException>(() => Deliver(h.ServerExchange, Seal(h.Client, id, h.Client.Phase2Iv(id),
            new AttributePayload(ModeCfgMessageType.Request, 9, [DataAttribute.Variable(1, [])]))));

        Assert.That(e!.Message, Does.Contain("Attempt to start phase config whereas Xauth failed"));
        Assert.That(h.ServerPool.InUse, Is.Zero);
    }

    [Test]
    public void A_config_request_naming_an_unknown_type_is_answered_without_it_and_logged()
    {
        using var h = new TransactionHarness(XauthRole.None);
        h.ServerExchange.Start();
        const uint id = 0x02020202;

        var reply = Datagrams(Deliver(h.ServerExchange, Seal(h.Client, id, h.Client.Phase2Iv(id),
            new AttributePayload(ModeCfgMessageType.Request, 9, [DataAttribute.Variable(1, []), DataAttribute.Variable(30000, []), DataAttribute.Variable(3, [])]))));

        Assert.That(reply, Has.Count.EqualTo(1));
        Assert.That(h.ServerLog.Contains("WARNING: Ignored attribute 30000"), h.ServerLog.ToString());
        Assert.That(h.ServerExchange.Attributes!.Address4, Is.EqualTo(IPAddress.Parse("10.77.9.1")));
        Assert.That(h.ServerExchange.Attributes.Dns4, Is.EqualTo(new[] { IPAddress.Parse("10.77.9.53") }));
    }

    [Test]
    public void A_cleartext_transaction_is_refused()
    {
        using var h = new TransactionHarness(XauthRole.Server);
        var plain = MessageCrypto.Plain(h.Client.Header(ExchangeType.Transaction, 5), [new AttributePayload(ModeCfgMessageType.Reply, 1, [GoodUser, GoodPassword])]);

        var e = Assert.Throws<ExchangeException>(() => Deliver(h.ServerExchange, plain));

        Assert.That(e!.Message, Is.EqualTo("User credentials sent in cleartext!"));
    }

    [Test]
    public void An_ack_without_a_set_and_a_status_to_a_server_are_refused()
    {
        using var h = new TransactionHarness(XauthRole.Server);
        h.ServerExchange.Start();
        const uint id = 0x03030303;

        Assert.Throws<ExchangeException>(() => Deliver(h.ServerExchange, Seal(h.Client, id, h.Client.Phase2Iv(id),
            new AttributePayload(ModeCfgMessageType.Acknowledge, 1, [DataAttribute.Basic((ushort)ModeCfgAttributeType.XauthStatus, 1)]))));
        Assert.Throws<ExchangeException>(() => Deliver(h.ServerExchange, Seal(h.Client, id + 1, h.Client.Phase2Iv(id + 1),
            new AttributePayload(ModeCfgMessageType.Set, 1, [DataAttribute.Basic((ushort)ModeCfgAttributeType.XauthStatus, 1)]))));
        Assert.That(h.ServerExchange.XauthOk, Is.False);
    }

    [Test]
    public void A_client_takes_a_pushed_configuration_and_acknowledges_it()
    {
        using var h = new TransactionHarness(XauthRole.None, clientModeConfig: false);
        h.ClientExchange.Start();
        const uint id = 0x04040404;
        var set = new AttributePayload(ModeCfgMessageType.Set, 3,
        [
            DataAttribute.Variable(1, [10, 77, 8, 1]),
            DataAttribute.Variable(3, [10, 77, 8, 53]),
            DataAttribute.Variable(3, [10, 77, 8, 54]),
        ]);

        var ack = Datagrams(Deliver(h.ClientExchange, Seal(h.Server, id, h.Server.Phase2Iv(id), set)));

        Assert.That(ack, Has.Count.EqualTo(1));
        Assert.That(h.ClientExchange.Completed);
        Assert.That(h.ClientExchange.Attributes!.Address4, Is.EqualTo(IPAddress.Parse("10.77.8.1")));
        Assert.That(h.ClientExchange.Attributes.Dns4, Is.EqualTo(new[] { IPAddress.Parse("10.77.8.53"), IPAddress.Parse("10.77.8.54") }));
    }
}
