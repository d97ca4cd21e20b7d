using KernelIpsec.Tests.Infrastructure;
using KernelIpsec.Tests.Interop;
using NUnit.Framework;

namespace KernelIpsec.Tests.EndToEnd;

/// <summary>
/// Remote access (issue 17) against strongSwan charon in IKEv1: our racoon as the road-warrior server (`remote
/// anonymous`, xauth_psk_server or hybrid_rsa_server, a Mode Config pool, generate_policy, `auth_source system`
/// over test accounts bind-mounted over /etc for our daemon only) with charon clients, and our racoon as the client
/// of a charon XAuth + Mode Config server through `racoonctl vpn-connect -u`. Each case checks what a user sees:
/// the address from the pool on the client, the DNS server handed over, the script hooks' environment, the
/// generated policies, pings from the virtual IP through an ESP tunnel, and nothing left after the disconnect.
/// Topology: the shared interop rig's `ra` (<see cref="NetnsPair.AddRemoteAccessNetworks"/>).
/// </summary>
[TestFixture, Category(Tier.Vm), NonParallelizable]
public partial class RemoteAccessInteropTests : EndToEndRig
{
    private static readonly StrongSwanPeer.RemoteAccessLogin Login =
        new("rig", NetnsPair.RightAddress, RemoteAccess.User, RemoteAccess.Password);

    /// <summary>
    /// charon (right) connects to our server (left) with PSK + XAuth as ikev1rig: it gets 10.77.9.x from our pool and
    /// our DNS server, our phase1_up sees the user and the address, our SPD gets the VIP's policies, the VIP reaches
    /// the host behind us through ESP, and after charon's disconnect nothing of the client stays on our side.
    /// </summary>
    [Test]
    public void CharonClientGetsAnAddressFromOurPoolAndReachesOurLan()
    {
        StartRemoteAccessRig();
        var (server, racoon) = StartOurServer([NetnsPair.RightAddress]);
        var charon = StartCharonClient([Login]);

        var vip = ConnectCharon(charon, Login.Name, count: 1).Single();
        Assert.That(charon.ResolvConf, Does.Contain($"nameserver {RemoteAccess.LeftDns}"), "our dns4 reached charon's resolve plugin");
        Assert.That(charon.Log, Does.Contain($"XAuth authentication of '{RemoteAccess.User}' (myself) successful"));
        Assert.That(racoon.Log, Does.Contain($"login succeeded for user \"{RemoteAccess.User}\""));
        var up = WaitForHook(server, "phase1_up");
        Assert.That((up.GetValueOrDefault("XAUTH_USER"), up.GetValueOrDefault("INTERNAL_ADDR4"), up.GetValueOrDefault("REMOTE_ADDR")),
            Is.EqualTo((RemoteAccess.User, vip, NetnsPair.RightAddress)), "our phase1_up script's environment");

        AssertTunnelFromVip(Pair.Right, vip, NetnsPair.LeftLanHost, serverSide: Pair.Left);

        var disconnect = charon.Disconnect(Login.Name);
        Assert.That(disconnect.ExitCode, Is.Zero, disconnect.StdOut + disconnect.StdErr);
        WaitUntil(() => InteropChecks.EspSaCount(Pair.Left) == 0 && !PoliciesFor(Pair.Left, vip).Any(),
            TimeSpan.FromSeconds(20), () => $"after charon's disconnect our side still has SAs or policies for {vip}/32:\n" +
                Pair.Left.TryExec("ip xfrm state").StdOut + Pair.Left.TryExec("ip xfrm policy").StdOut);
        Assert.That(ClientAddresses(Pair.Right, RemoteAccess.LeftPoolFirst, RemoteAccess.LeftPoolLast), Is.Empty, "charon removed the VIP");
        Step("disconnected: no SA, no VIP policy on our side");
    }

    /// <summary>charon logs in as ikev1rig2 with a wrong password: racoon's "login failed" line, charon's XAuth failure, no address, no SA.</summary>
    [Test]
    public void WrongPasswordIsRefusedWithoutAddressOrSa()
    {
        StartRemoteAccessRig();
        var (_, racoon) = StartOurServer([NetnsPair.RightAddress]);
        var bad = new StrongSwanPeer.RemoteAccessLogin("rigbad", NetnsPair.RightAddress, RemoteAccess.User2, RemoteAccess.BadPassword);
        var charon = StartCharonClient([bad]);

        var connect = charon.Connect(bad.Name, timeoutSeconds: 40);
        Assert.That(connect.ExitCode, Is.Not.Zero, "the initiate of a wrong password must fail:\n" + connect.StdOut);
        Assert.That(charon.Log, Does.Contain($"XAuth authentication of '{RemoteAccess.User2}' (myself) failed"));
        WaitUntil(() => racoon.Log.Contains($"login failed for user \"{RemoteAccess.User2}\"", StringComparison.Ordinal), TimeSpan.FromSeconds(10),
            () => "racoon's log has no login failed line");
        Assert.That(InteropChecks.EspSaCount(Pair.Left) + InteropChecks.EspSaCount(Pair.Right), Is.Zero, "no ESP SA on either side");
        Assert.That(ClientAddresses(Pair.Right, RemoteAccess.LeftPoolFirst, RemoteAccess.LeftPoolLast), Is.Empty, "no address from our pool");
        Assert.That(racoon.Log, Does.Not.Contain("INTERNAL_ADDR4").And.Not.Contain("address handed out"), "no address left our pool");
    }

    /// <summary>Two road warriors at once (one charon, two connections from two own addresses, two accounts): two different addresses, both tunnels carry traffic.</summary>
    [Test]
    public void TwoCharonClientsGetTwoAddresses()
    {
        StartRemoteAccessRig();
        var second = new StrongSwanPeer.RemoteAccessLogin("rig2", NetnsPair.RightSecondAddress, RemoteAccess.User2, RemoteAccess.Password2);
        var (_, racoon) = StartOurServer([NetnsPair.RightAddress, NetnsPair.RightSecondAddress]);
        Pair.AddRightSecondAddress();
        var charon = StartCharonClient([Login, second]);

        var first = ConnectCharon(charon, Login.Name, count: 1).Single();
        var both = ConnectCharon(charon, second.Name, count: 2);
        var other = both.Single(a => a != first);
        Assert.That(racoon.Log, Does.Contain($"login succeeded for user \"{RemoteAccess.User}\"").And.Contain($"login succeeded for user \"{RemoteAccess.User2}\""));
        AssertTunnelFromVip(Pair.Right, first, NetnsPair.LeftLanHost, serverSide: Pair.Left);
        AssertTunnelFromVip(Pair.Right, other, NetnsPair.LeftLanHost, serverSide: Pair.Left);
    }

    /// <summary>
    /// Our racoon (left) as the client of charon's XAuth + Mode Config server (right): `racoonctl vpn-connect -u` with
    /// the password on stdin, phase1_up sees the address and DNS charon pushed and puts them in place, the VIP reaches
    /// the host behind charon through ESP, and `vpn-disconnect` takes it all down and runs phase1_down.
    /// </summary>
    [Test]
    public void OurRacoonConnectsToCharonWithVpnConnect()
    {
        StartRemoteAccessRig();
        var charon = StrongSwanPeer.StartRemoteAccessServer(Pair.Right, Path.Combine(StateDirectory, "right-charon"), NetnsPair.RightAddress,
            NetnsPair.LeftAddress, InteropVariant.RightNet, RemoteAccess.RightPoolFirst, RemoteAccess.RightPoolLast, RemoteAccess.RightDns);
        AddCharon(charon);
        var client = RacoonSideConfig.WriteRemoteAccessClient(Path.Combine(StateDirectory, "left"), InteropVariant.RightNet);
        StartRacoon(left: true, client.RacoonConf);
        Step("charon and our racoon up");

        var connect = Racoonctl(client, $"vpn-connect -u {RemoteAccess.User} {NetnsPair.RightAddress}", RemoteAccess.Password + "\n");
        Assert.That((connect.ExitCode, connect.StdOut), Is.EqualTo((0, "VPN connexion established\n")), connect.StdErr);
        var up = WaitForHook(client, "phase1_up");
        var vip = up.GetValueOrDefault("INTERNAL_ADDR4") ?? "";
        Assert.That(RemoteAccess.InPool(vip, RemoteAccess.RightPoolFirst, RemoteAccess.RightPoolLast), $"INTERNAL_ADDR4 '{vip}' from charon's pool");
        Assert.That((up.GetValueOrDefault("INTERNAL_DNS4"), up.GetValueOrDefault("LOCAL_ADDR"), up.GetValueOrDefault("REMOTE_ADDR")),
            Is.EqualTo((RemoteAccess.RightDns, NetnsPair.LeftAddress, NetnsPair.RightAddress)), "phase1_up's environment");
        WaitUntil(() => ClientAddresses(Pair.Left, RemoteAccess.RightPoolFirst, RemoteAccess.RightPoolLast).Contains(vip), TimeSpan.FromSeconds(10),
            () => "the hook did not put the VIP on veth-l: " + File.ReadAllText(Path.Combine(client.Directory, "phase1_up.err")));
        Assert.That(charon.Log, Does.Contain($"XAuth authentication of '{RemoteAccess.User}' successful"));

        AssertTunnelFromVip(Pair.Left, vip, NetnsPair.RightLanHost, serverSide: Pair.Right);

        var disconnect = Racoonctl(client, $"vpn-disconnect {NetnsPair.RightAddress}");
        Assert.That(disconnect.ExitCode, Is.Zero, disconnect.StdOut + disconnect.StdErr);
        Step("vpn-disconnect returned");
        var down = WaitForHook(client, "phase1_down");
        Assert.That(down.GetValueOrDefault("INTERNAL_ADDR4"), Is.EqualTo(vip), "phase1_down ran for the VIP");
        WaitUntil(() => InteropChecks.EspSaCount(Pair.Left) == 0 && ClientAddresses(Pair.Left, RemoteAccess.RightPoolFirst, RemoteAccess.RightPoolLast).Count == 0
                        && !PoliciesFor(Pair.Left, vip).Any(),
            TimeSpan.FromSeconds(20), () => "after vpn-disconnect our side still has SAs, the VIP or its policies:\n" +
                Pair.Left.TryExec("ip xfrm state").StdOut + Pair.Left.TryExec("ip xfrm policy").StdOut + Pair.Left.TryExec("ip -4 addr").StdOut);
    }

    /// <summary>
    /// hybrid_rsa_server: our racoon proves itself with its certificate, charon's client (no certificate, `local {
    /// auth = xauth }`, `remote { auth = pubkey }`: charon's HybridInitRSA) by XAuth only; it gets an address and the
    /// tunnel carries traffic.
    /// </summary>
    [Test]
    public void CharonHybridClientAuthenticatesOurCertificate()
    {
        StartRemoteAccessRig();
        var pki = TestPki.Create(Path.Combine(StateDirectory, "pki"));
        var (server, racoon) = StartOurServer([NetnsPair.RightAddress], hybridPki: pki);
        var charon = StartCharonClient([Login], hybridCa: pki, serverId: pki.LeftSubject);

        var vip = ConnectCharon(charon, Login.Name, count: 1).Single();
        Assert.That(charon.Log, Does.Contain($"authentication of '{pki.LeftSubject}' with"), "charon checked our certificate's signature");
        Assert.That(charon.Log, Does.Contain($"XAuth authentication of '{RemoteAccess.User}' (myself) successful"));
        Assert.That(racoon.Log, Does.Contain($"login succeeded for user \"{RemoteAccess.User}\""));
        Assert.That(WaitForHook(server, "phase1_up").GetValueOrDefault("INTERNAL_ADDR4"), Is.EqualTo(vip));
        AssertTunnelFromVip(Pair.Right, vip, NetnsPair.LeftLanHost, serverSide: Pair.Left);
    }
}
