using System.Net;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Setkey.Binding;
using KernelIpsec.Setkey.Commands;
using KernelIpsec.Setkey.Names;
using KernelIpsec.Setkey.Parsing;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Setkey;

[TestFixture, Category(Tier.Unit)]
public class BinderTests
{
    private static BoundScript Bind(string script, bool rfcMode = true)
    {
        var parsed = SetkeyScriptParser.Parse(script, "t.conf");
        Assert.That(parsed.Errors, Is.Empty, () => string.Join("\n", parsed.Errors.Select(e => e.Message)));
        var options = new BindingOptions(rfcMode, ProtocolNames.BuiltIn, ServiceNames.Parse("isakmp 500/udp\nssh 22/tcp\n"), new NoResolver());
        return new ScriptBinder(options).Bind(parsed.Commands);
    }

    private static T Only<T>(string script) where T : KernelCommand
    {
        var bound = Bind(script);
        Assert.That(bound.Errors, Is.Empty, () => string.Join("\n", bound.Errors.Select(e => e.Message + " / " + e.Expected)));
        return (T)bound.Commands.Single();
    }

    private static SetkeyScriptException Error(string script)
    {
        var bound = Bind(script);
        Assert.That(bound.Errors, Has.Count.EqualTo(1));
        return bound.Errors[0];
    }

    [Test]
    public void NatTraversalSaAsTheReferenceSendsIt()
    {
        var sa = Only<AddSaCommand>("add 10.0.0.1[4500] 10.0.0.2[4500] esp-udp 0x2000 -m tunnel -u 7 -r 32 -lh 3600 -ls 2880\n" +
            "    -E aes-cbc 0x00112233445566778899aabbccddeeff -A hmac-md5 \"1234567890123456\";").Sa;
        Assert.Multiple(() =>
        {
            Assert.That(sa.Id, Is.EqualTo(new SaId(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2"), IpsecProtocol.Esp, 0x2000)));
            Assert.That(sa.Mode, Is.EqualTo(IpsecMode.Tunnel));
            Assert.That(sa.ReqId, Is.EqualTo(7u));
            Assert.That(sa.ReplayWindow, Is.EqualTo(32u));
            Assert.That(sa.Lifetime.Hard.AddSeconds, Is.EqualTo(3600ul));
            Assert.That(sa.Lifetime.Soft.AddSeconds, Is.EqualTo(2880ul));
            Assert.That(sa.Encryption!.Algorithm.Name, Is.EqualTo("aes-cbc"));
            Assert.That(sa.Encryption.Key.ToArray(), Is.EqualTo(Convert.FromHexString("00112233445566778899aabbccddeeff")));
            Assert.That(sa.Authentication!.Key.ToArray(), Is.EqualTo("1234567890123456"u8.ToArray()));
            Assert.That(sa.NatTraversal, Is.EqualTo(new NatTraversal(EncapsulationType.EspInUdp, 4500, 4500)));
        });
    }

    [Test]
    public void EspUdpPortsDefaultTo4500() =>
        Assert.That(Only<AddSaCommand>("add 10.0.0.1 10.0.0.2[5000] esp-udp 1 -E null;").Sa.NatTraversal,
            Is.EqualTo(new NatTraversal(EncapsulationType.EspInUdp, 4500, 5000)));

    [Test]
    public void ReplayWindowIsCappedAt32LikeLinuxPfKey() =>
        Assert.That(Only<AddSaCommand>("add 1.1.1.1 2.2.2.2 esp 1 -r 64 -E null;").Sa.ReplayWindow, Is.EqualTo(32u));

    [Test]
    public void HmacSha256GetsThePfKeyTruncation() =>
        Assert.That(Only<AddSaCommand>("add 1.1.1.1 2.2.2.2 ah 1 -A hmac-sha2-256 0x" + new string('a', 64) + ";").Sa.Authentication!.IcvBits, Is.EqualTo(96));

    [Test]
    public void OddHexKeyGetsALeadingNibble() =>
        Assert.That(Only<AddSaCommand>("add 1.1.1.1 2.2.2.2 esp 1 -E des-cbc 0x123456789abcdef;").Sa.Encryption!.Key.ToArray(),
            Is.EqualTo(Convert.FromHexString("0123456789abcdef")));

    [Test]
    public void UpdateIsAnSaUpdate() => Assert.That(Only<AddSaCommand>("update 1.1.1.1 2.2.2.2 esp 1 -E null;").Update, Is.True);

    [Test]
    public void GetSpiWithSpiAsksForExactlyThatOne()
    {
        var request = Only<GetSpiCommand>("getspi 1.1.1.1 2.2.2.2 esp 0x1234 -u 9;").Request;
        Assert.Multiple(() =>
        {
            Assert.That(request.Range, Is.EqualTo(new SpiRange(0x1234, 0x1234)));
            Assert.That(request.ReqId, Is.EqualTo(9u));
        });
    }

    [Test]
    public void InPolicyGetsItsFwdTwinWithUniqueTurnedIntoRequire()
    {
        var commands = Bind("spdadd 10.1.0.0/16 10.2.0.0/16 any -P in ipsec esp/tunnel/1.1.1.1-2.2.2.2/unique:7 ah/transport//unique:8;").Commands
            .Cast<AddPolicyCommand>().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(commands.Select(c => c.Policy.Direction), Is.EqualTo(new[] { PolicyDirection.In, PolicyDirection.Fwd }));
            Assert.That(commands[0].Policy.Requests.Select(r => (r.Level, r.ReqId)), Is.EqualTo(new[] { (IpsecLevel.Unique, 7u), (IpsecLevel.Unique, 8u) }));
            Assert.That(commands[1].Policy.Requests.Select(r => (r.Level, r.ReqId)), Is.EqualTo(new[] { (IpsecLevel.Require, 0u), (IpsecLevel.Unique, 8u) }));
        });
    }

    [Test]
    public void KernelModeKeepsInPoliciesAlone() =>
        Assert.That(Bind("spdadd 1.1.1.1 2.2.2.2 any -P in none;", rfcMode: false).Commands, Has.Count.EqualTo(1));

    [Test]
    public void SpdDeleteOfAnInPolicyAlsoDeletesTheFwdTwin() =>
        Assert.That(Bind("spddelete 1.1.1.1 2.2.2.2 any -P in;").Commands.Cast<DeletePolicyCommand>().Select(c => c.Id.Direction),
            Is.EqualTo(new[] { PolicyDirection.In, PolicyDirection.Fwd }));

    [TestCase("", 0x80000000u)]
    [TestCase("prio def", 0x80000000u)]
    [TestCase("prio high", 0x40000000u)]
    [TestCase("prio low", 0xC0000000u)]
    [TestCase("prio def + 100", 0x7fffff9cu)]
    [TestCase("prio low - 3", 0xC0000003u)]
    [TestCase("priority 10", 0x7ffffff6u)]
    [TestCase("prio - 10", 0x8000000au)]
    [TestCase("prio high + 5", 0x3ffffffbu)]
    public void Priorities(string priority, uint expected) =>
        Assert.That(Only<AddPolicyCommand>($"spdadd 1.1.1.1 2.2.2.2 any -P out {priority} discard;").Policy.Priority, Is.EqualTo(expected));

    [Test]
    public void SelectorWithPortsPrefixesAndNamedProtocol()
    {
        var selector = Only<AddPolicyCommand>("spdadd 10.0.0.0/8[isakmp] 10.1.2.3[any] udp -P out none;").Policy.Selector;
        Assert.Multiple(() =>
        {
            Assert.That(selector.Source, Is.EqualTo(new AddressPrefix(IPAddress.Parse("10.0.0.0"), 8)));
            Assert.That(selector.Destination.IsHost, Is.True);
            Assert.That(selector.UpperProtocol, Is.EqualTo((byte)17));
            Assert.That((selector.SourcePort, selector.DestinationPort), Is.EqualTo(((ushort)500, (ushort)0)));
        });
    }

    [TestCase("icmp6 135,0", (byte)58, 135, 0)]
    [TestCase("gre 0.0.4.210", (byte)47, 0, 1234)]
    [TestCase("any", null, 0, 0)]
    [TestCase("255", null, 0, 0)]
    public void UpperLayerParameters(string upper, byte? protocol, int sport, int dport)
    {
        var bound = Bind($"spdadd ::/0 ::/0 {upper} -P out none;");
        var selector = ((AddPolicyCommand)bound.Commands.Single()).Policy.Selector;
        Assert.That((selector.UpperProtocol, (int)selector.SourcePort, (int)selector.DestinationPort), Is.EqualTo((protocol, sport, dport)));
    }

    [Test]
    public void HostNamesResolveUnlessNumericOnly()
    {
        var parsed = SetkeyScriptParser.Parse("add gw.example 10.0.0.2 esp 1 -E null;", "t.conf");
        var resolver = new OneHostResolver("gw.example", IPAddress.Parse("10.0.0.9"));
        var bound = new ScriptBinder(new BindingOptions(true, ProtocolNames.BuiltIn, ServiceNames.Empty, resolver)).Bind(parsed.Commands);
        Assert.That(((AddSaCommand)bound.Commands.Single()).Sa.Id.Source, Is.EqualTo(IPAddress.Parse("10.0.0.9")));
        var numeric = new ScriptBinder(new BindingOptions(true, ProtocolNames.BuiltIn, ServiceNames.Empty, resolver))
            .Bind(SetkeyScriptParser.Parse("add -n gw.example 10.0.0.2 esp 1 -E null;", "t.conf").Commands);
        Assert.That(numeric.Errors.Single().Problem, Is.EqualTo("Name or service not known"));
    }

    // ---- errors name the word and the problem

    [TestCase("add 1.1.1.1 2.2.2.2 esp 1 -E aes-cbc 0x0011;", "Invalid key length", "0x0011", "128, 192 or 256")]
    [TestCase("add 1.1.1.1 2.2.2.2 esp 1 -E twofish-cbc \"short\";", "Invalid key length", "\"short\"", "this one has 40")]
    [TestCase("add 1.1.1.1 2.2.2.2 esp 1 -E aes-gcm 0x00;", "syntax error", "aes-gcm", "an encryption algorithm")]
    [TestCase("add 1.1.1.1 2.2.2.2 ah 1 -A tcp-md5 \"k\";", "syntax error", "tcp-md5", "an authentication algorithm")]
    [TestCase("add 1.1.1.1 2.2.2.2 ah 1 -A keyed-md5 \"k\";", "unsupported algorithm", "keyed-md5", "HMAC")]
    [TestCase("add 1.1.1.1 2.2.2.2 esp 1 -E 3des-cbc;", "syntax error", "3des-cbc", "a key")]
    [TestCase("add 1.1.1.1 2.2.2.2 esp 1 -E null 0x00;", "syntax error", "0x00", "takes no key")]
    [TestCase("add 1.1.1.1 2.2.2.2 esp 0x100000000 -E null;", "SPI too big.", "0x100000000", "32 bits")]
    [TestCase("add 1.1.1.1 2.2.2.2 ipcomp 0x10000 -C deflate;", "CPI too big.", "0x10000", "16 bits")]
    [TestCase("add 1.1.1.1 2.2.2.2 esp-old 1 -r 4 -E null;", "replay prevention cannot be used with ah/esp-old", "-r", null)]
    [TestCase("add 1.1.1.1 2.2.2.2 esp 1 -A hmac-md5 \"1234567890123456\";", "algorithm mismatched", "-A", "-E")]
    [TestCase("add 1.1.1.1 2.2.2.2 ah 1 -E null;", "algorithm mismatched", "-E", "-A")]
    [TestCase("add 1.1.1.1 2.2.2.2 ipcomp 1 -A hmac-md5 \"1234567890123456\";", "algorithm mismatched", "-A", "-C")]
    [TestCase("add 1.1.1.1 2.2.2.2 ipcomp 1 -C oui;", "unsupported algorithm", "oui", "compression")]
    [TestCase("add 1.1.1.1 2.2.2.2 tcp 1 -A hmac-md5 \"1234567890123456\";", "Invalid SA type", "tcp", "esp")]
    [TestCase("add 1.1.1.1 ::1 esp 1 -E null;", "Family mismatch", "::1", "same family")]
    [TestCase("add -6 1.1.1.1 2.2.2.2 esp 1 -E null;", "Address family for hostname not supported", "1.1.1.1", "IPv6")]
    [TestCase("add 1.1.1.1 2.2.2.2 esp 1 -lh 10 -ls 20 -E null;", "soft lifetime add seconds 20 exceeds hard lifetime add seconds 10", "-ls", "soft limit")]
    [TestCase("add nowhere.invalid 2.2.2.2 esp 1 -E null;", "Name or service not known", "nowhere.invalid", "resolvable host name")]
    [TestCase("spdadd 1.1.1.1 2.2.2.2[ssh] udp -P out none;", "Servname not supported for ai_socktype", "ssh", "UDP service")]
    [TestCase("spdadd 1.1.1.1 2.2.2.2 nosuchproto -P out none;", "invalid upper layer protocol", "nosuchproto", "/etc/protocols")]
    [TestCase("spdadd 1.1.1.1/33 2.2.2.2 any -P out none;", "prefix length out of range", "33", "0 to 32")]
    [TestCase("spdadd 1.1.1.1 2.2.2.2 udp 1,2 -P out none;", "upper layer protocol mismatched", "1,2", "icmp")]
    [TestCase("spdadd 1.1.1.1 2.2.2.2 any -P out ipsec esp/tunnel//require;", "Invalid address specification", "tunnel", "tunnel endpoints")]
    [TestCase("spdadd 1.1.1.1 2.2.2.2 any -P out ipsec esp/tunnel/me-any/require;", "Invalid address specification", "me", "numeric")]
    [TestCase("spdadd 1.1.1.1 2.2.2.2 any -P out ipsec esp/tunnel/1.1.1.1-::2/require;", "Family mismatch", "::2", "same family")]
    [TestCase("spdadd 1.1.1.1 2.2.2.2 any -P out bypass;", "Invalid policy type", "bypass", "discard, none or ipsec")]
    [TestCase("spdadd 1.1.1.1 2.2.2.2 any -P out discard esp/transport//require;", "Invalid policy type", "esp", "only an ipsec policy")]
    [TestCase("spdadd 1.1.1.1 2.2.2.2 any -P out prio def + 1073741825 discard;", "Priority offset from base not in valid range [0, 1073741823] for negative offsets and [0, 1073741824] for positive offsets", "1073741825", null)]
    [TestCase("spdadd 1.1.1.1 2.2.2.2 any -P out prio 2147483649 discard;", "Priority offset not in valid range [-2147483647, 2147483648]", "2147483649", null)]
    [TestCase("spdadd tagged \"t\" -P out none;", "tagged policies are not supported on Linux", "\"t\"", "selector")]
    public void BindErrors(string script, string problem, string near, string? expected)
    {
        var e = Error(script);
        Assert.Multiple(() =>
        {
            Assert.That(e.Problem, Is.EqualTo(problem));
            Assert.That(e.Near, Is.EqualTo(near));
            Assert.That(e.Position.Line, Is.EqualTo(1));
            Assert.That(e.Position.Column, Is.EqualTo(script.IndexOf(near, script.IndexOf(' ', StringComparison.Ordinal), StringComparison.Ordinal) + 1));
            if (expected is null)
                Assert.That(e.Expected, Is.Null);
            else
                Assert.That(e.Expected, Does.Contain(expected));
        });
    }

    private sealed class NoResolver : IHostResolver
    {
        public IReadOnlyList<IPAddress> Resolve(string host) => throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound);
    }

    private sealed class OneHostResolver(string name, IPAddress address) : IHostResolver
    {
        public IReadOnlyList<IPAddress> Resolve(string host) =>
            host == name ? [address] : throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound);
    }
}
