using System.Net;
using System.Text;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Sa;
using AuthenticationMethod = KernelIpsec.Ike.Config.AuthenticationMethod;

namespace KernelIpsec.Tests.Ike.Exchanges.RemoteAccess;

/// <summary>
/// The interop rig's ra-xauth-psk variant as two engines: left is the road warrior (xauth_psk_client, xauth_login,
/// mode_cfg on, its password in psk.txt), right the gateway (xauth_psk_server, mode_cfg { network4 10.77.9.1 ... }).
/// </summary>
internal static class RemoteAccessSetup
{
    public const string User = "ikev1rig";
    public const string Password = "ikev1-rig-xauth-pw-4567";

    public static ModeConfigServer Pool(int size = 10) => new()
    {
        Network4 = IPAddress.Parse("10.77.9.1"),
        Netmask4 = IPAddress.Parse("255.255.255.0"),
        PoolSize = size,
        Dns4 = [IPAddress.Parse("10.77.9.53")],
        Wins4 = [IPAddress.Parse("10.77.9.54")],
        SplitNetworks = [new SplitNetwork(false, IPAddress.Parse("10.77.1.0"), 24), new SplitNetwork(true, IPAddress.Parse("192.168.0.0"), 16)],
        SplitDns = ["corp.example"],
        DefaultDomain = "corp.example",
        Banner = "/nonexistent/kernelipsec-banner",
        AuthThrottle = TimeSpan.FromSeconds(1),
    };

    public static EnginePair CreatePair(Accounts accounts, string clientPassword = Password, ModeConfigServer? pool = null, bool clientModeConfig = true,
        AuthenticationMethod client = AuthenticationMethod.XauthPskClient, AuthenticationMethod server = AuthenticationMethod.XauthPskServer,
        Scenario? scenario = null, ICertificateVerifier? leftCerts = null, ICertificateVerifier? rightCerts = null,
        GeneratePolicyMode generatePolicy = GeneratePolicyMode.Off)
    {
        scenario ??= new Scenario();
        var left = scenario.ConfigFor(true, r => r with
        {
            XauthLogin = User,
            ModeConfig = clientModeConfig,
            Proposals = [r.Proposals[0] with { AuthenticationMethod = client }],
        });
        var right = scenario.ConfigFor(false, r => r with
        {
            ModeConfig = true,
            GeneratePolicy = generatePolicy,
            Proposals = [r.Proposals[0] with { AuthenticationMethod = server }],
        }) with { ModeConfig = pool ?? Pool() };
        var pair = new EnginePair(left, right,
            PreSharedKeyTable.Parse($"{scenario.Right} {Scenario.Psk}\n{User} {clientPassword}\n"),
            Scenario.PskTable(scenario.Left.ToString(), Scenario.Psk), leftCerts, rightCerts, scenario.Left, scenario.Right, rightXauth: accounts);
        pair.Left.Policies.Policies.Add(scenario.PolicyFor(true));
        if (generatePolicy == GeneratePolicyMode.Off)
            pair.Right.Policies.Policies.Add(scenario.PolicyFor(false));
        return pair;
    }

    public static void Connect(EnginePair pair, XauthCredentials? credentials = null) =>
        pair.Run(pair.Left, pair.Left.Engine.InitiatePhase1(pair.Left.Endpoint, pair.Right.Endpoint, null, credentials));

    /// <summary>The exchange type byte of a datagram on the wire.</summary>
    public static byte ExchangeOf(byte[] datagram) => datagram[18];

    /// <summary>The daemon's account check as a table; remembers whom it was asked about.</summary>
    internal sealed class Accounts : IXauthAuthenticator
    {
        public Dictionary<string, string> Passwords { get; } = new() { [User] = Password };
        public Dictionary<string, string[]> Groups { get; } = [];
        public List<string> Checked { get; } = [];

        public bool Authenticate(string user, ReadOnlySpan<byte> password, out string? reason)
        {
            Checked.Add(user);
            var ok = Passwords.TryGetValue(user, out var expected) && Encoding.UTF8.GetString(password) == expected;
            reason = ok ? null : "authentication failure";
            return ok;
        }

        public bool IsMemberOf(string user, string group) => Groups.TryGetValue(user, out var groups) && groups.Contains(group);
    }
}
