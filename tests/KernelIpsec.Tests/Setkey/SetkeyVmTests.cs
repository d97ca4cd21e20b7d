using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Setkey;

/// <summary>
/// The setkey executable over XFRM on a real kernel with ESP/AH/IPComp: every golden script gives the
/// reference's `ip xfrm` state and normalised -D/-DP; manual keying carries traffic between two namespaces.
/// </summary>
[TestFixture, Category(Tier.Vm)]
public class SetkeyVmTests
{
    /// <summary>Every golden script over XFRM (the default, no flag) and over PF_KEY (`--kernel pfkey`).</summary>
    public static IEnumerable<TestCaseData> ScriptsOverBothBackends() =>
        GoldenDumpTests.Scripts().SelectMany(name => new[] { new TestCaseData(name, "xfrm"), new TestCaseData(name, "pfkey") });

    /// <summary>
    /// The reference setkey spoke PF_KEY: ours must leave the kernel exactly as it did (`ip xfrm state/policy`
    /// byte for byte) and print the same -D/-DP, over either backend. -DP chooses the backend through
    /// KERNELIPSEC_KERNEL, so the environment variable is covered too.
    /// </summary>
    [TestCaseSource(nameof(ScriptsOverBothBackends))]
    public void GoldenScriptGivesTheReferenceKernelStateAndDumps(string name, string kernel)
    {
        Requirements.Vm();
        var script = $"{GoldenDumpTests.GoldenRoot}/scripts/{name}.conf";
        if (!File.Exists(script))
            Assert.Ignore($"golden scripts not on this machine ({GoldenDumpTests.GoldenRoot})");
        var golden = $"{GoldenDumpTests.GoldenRoot}/ipsec-tools-0.8.2/{name}";
        var flag = kernel == "xfrm" ? "" : $"--kernel {kernel} ";
        using var ns = TestNetns.Create();

        var apply = SetkeyBinary.Run(ns, $"{flag}-f {script}");
        Assert.Multiple(() =>
        {
            Assert.That(apply.ExitCode + "\n", Is.EqualTo(File.ReadAllText(golden + ".rc")));
            Assert.That(apply.StdOut, Is.EqualTo(File.ReadAllText(golden + ".stdout")));
            Assert.That(apply.StdErr, Is.EqualTo(File.ReadAllText(golden + ".stderr")));
            Assert.That(SetkeyBinary.IpXfrm(ns, "state"), Is.EqualTo(File.ReadAllText(golden + ".xfrm-state")));
            Assert.That(SetkeyBinary.IpXfrm(ns, "policy"), Is.EqualTo(File.ReadAllText(golden + ".xfrm-policy")));
            Assert.That(SetkeyHarness.Normalise(SetkeyBinary.Run(ns, $"{flag}-D").StdOut), Is.EqualTo(File.ReadAllText(golden + ".D")));
            Assert.That(SetkeyHarness.Normalise(ns.TryExec($"env KERNELIPSEC_KERNEL={kernel} {SetkeyBinary.Path} -DP").StdOut), Is.EqualTo(File.ReadAllText(golden + ".DP")));
        });
    }

    /// <summary>The manual-keying golden script with the pair's addresses, for one side.</summary>
    private static string ManualKeying(string local, string remote) => $"""
        flush;
        spdflush;
        add {NetnsPair.LeftAddress} {NetnsPair.RightAddress} ah 15700 -A hmac-md5 "1234567890123456";
        add {NetnsPair.RightAddress} {NetnsPair.LeftAddress} ah 24500 -A hmac-md5 "1234567890123456";
        add {NetnsPair.LeftAddress} {NetnsPair.RightAddress} esp 15701 -E 3des-cbc "123456789012123456789012";
        add {NetnsPair.RightAddress} {NetnsPair.LeftAddress} esp 24501 -E 3des-cbc "123456789012123456789012";
        spdadd {local} {remote} any -P out ipsec esp/transport//require ah/transport//require;
        spdadd {remote} {local} any -P in ipsec esp/transport//require ah/transport//require;
        """;

    [Test]
    public void ManualKeyingCarriesUdpAndDropsUnprotectedPackets()
    {
        Requirements.Vm();
        using var pair = NetnsPair.Create();
        var dir = TestContext.CurrentContext.WorkDirectory;
        var leftScript = Path.Combine(dir, $"mk-left-{Environment.ProcessId}.conf");
        var rightScript = Path.Combine(dir, $"mk-right-{Environment.ProcessId}.conf");
        File.WriteAllText(leftScript, ManualKeying(NetnsPair.LeftAddress, NetnsPair.RightAddress));
        File.WriteAllText(rightScript, ManualKeying(NetnsPair.RightAddress, NetnsPair.LeftAddress));
        try
        {
            Assert.That(SetkeyBinary.Run(pair.Left, $"-f {leftScript}").ExitCode, Is.EqualTo(0));
            Assert.That(SetkeyBinary.Run(pair.Right, $"-f {rightScript}").ExitCode, Is.EqualTo(0));

            // Protected both ways: a datagram from left reaches right and the answer comes back.
            var echo = Exchange(pair, "ping through ESP+AH");
            Assert.That(echo, Is.EqualTo("ping through ESP+AH"));

            // The SA counters grew on the sending side (left -> right ESP, as setkey -D shows them).
            var dump = SetkeyBinary.Run(pair.Left, "-D").StdOut;
            var outbound = Record(dump, $"{NetnsPair.LeftAddress} {NetnsPair.RightAddress} ", "esp");
            Assert.That(BytesCounted(outbound), Is.GreaterThan(0), dump);

            // Right stops protecting (its SPD flushed): its plain packet must be dropped by left's `in` policy.
            Assert.That(SetkeyBinary.Run(pair.Right, "-FP").ExitCode, Is.EqualTo(0));
            var received = Receive(pair.Left, NetnsPair.LeftAddress, () => Send(pair.Right, NetnsPair.RightAddress, NetnsPair.LeftAddress, "unprotected"));
            Assert.That(received, Is.Null, "an unprotected datagram passed the in/require policy");
        }
        finally
        {
            File.Delete(leftScript);
            File.Delete(rightScript);
        }
    }

    private const int Port = 47001;

    /// <summary>Left sends a datagram to right, right echoes it; returns what left got back (null on timeout).</summary>
    private static string? Exchange(NetnsPair pair, string text)
    {
        using var ready = new ManualResetEventSlim();
        var server = Task.Run(() => pair.Right.Run(() =>
        {
            using var socket = new UdpClient(new IPEndPoint(IPAddress.Parse(NetnsPair.RightAddress), Port));
            socket.Client.ReceiveTimeout = 5000;
            ready.Set();
            var from = new IPEndPoint(IPAddress.Any, 0);
            var data = socket.Receive(ref from);
            socket.Send(data, data.Length, from);
            return 0;
        }));
        Assert.That(ready.Wait(5000), Is.True);
        var answer = pair.Left.Run(() =>
        {
            using var socket = new UdpClient(new IPEndPoint(IPAddress.Parse(NetnsPair.LeftAddress), 0));
            socket.Client.ReceiveTimeout = 5000;
            var payload = Encoding.ASCII.GetBytes(text);
            socket.Send(payload, payload.Length, new IPEndPoint(IPAddress.Parse(NetnsPair.RightAddress), Port));
            var from = new IPEndPoint(IPAddress.Any, 0);
            try
            {
                return Encoding.ASCII.GetString(socket.Receive(ref from));
            }
            catch (SocketException)
            {
                return null;
            }
        });
        server.Wait(10000);
        return answer;
    }

    private static void Send(TestNetns ns, string from, string to, string text) => ns.Run(() =>
    {
        using var socket = new UdpClient(new IPEndPoint(IPAddress.Parse(from), 0));
        var payload = Encoding.ASCII.GetBytes(text);
        socket.Send(payload, payload.Length, new IPEndPoint(IPAddress.Parse(to), Port));
    });

    /// <summary>Listens on <paramref name="address"/> while <paramref name="send"/> runs; the datagram's text or null after 2 s.</summary>
    private static string? Receive(TestNetns ns, string address, Action send)
    {
        using var ready = new ManualResetEventSlim();
        var listener = Task.Run(() => ns.Run(() =>
        {
            using var socket = new UdpClient(new IPEndPoint(IPAddress.Parse(address), Port));
            socket.Client.ReceiveTimeout = 2000;
            ready.Set();
            var from = new IPEndPoint(IPAddress.Any, 0);
            try
            {
                return Encoding.ASCII.GetString(socket.Receive(ref from));
            }
            catch (SocketException)
            {
                return null;
            }
        }));
        Assert.That(ready.Wait(5000), Is.True);
        send();
        return listener.Result;
    }

    /// <summary>The -D record whose first line is <paramref name="addresses"/> and second starts with the satype.</summary>
    private static string Record(string dump, string addresses, string satype)
    {
        var records = Regex.Split(dump, "(?m)^(?=\\S)").Where(r => r.Length > 0);
        return records.First(r => r.StartsWith(addresses + "\n\t" + satype + " ", StringComparison.Ordinal));
    }

    private static long BytesCounted(string record) =>
        long.Parse(Regex.Match(record, @"\tcurrent: (\d+)\(bytes\)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
}
