using System.Runtime.Versioning;
using System.Text;
using KernelIpsec.Ike.Config;
using KernelIpsec.Keyd.Config;
using KernelIpsec.Setkey.Cli;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Packaging;

/// <summary>
/// The default /etc files the packages install are accepted by our own racoon and setkey
/// checks as shipped, and so are their commented examples once uncommented: an administrator
/// who starts from them starts from something that works.
/// </summary>
[TestFixture, Category(Tier.Unit)]
[SupportedOSPlatform("linux")]
public class ShippedConfigurationTests
{
    private string directory = null!;

    [SetUp]
    public void CreateDirectory() => directory = Directory.CreateTempSubdirectory("kernelipsec-etc-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(directory, recursive: true);

    [Test]
    public void RacoonConfAsShippedPassesRacoonCheckWithoutAnyDiagnostic()
    {
        var conf = Install(ShippedExample.Read("racoon/racoon.conf"), ShippedExample.Read("racoon/psk.txt"));

        Assert.That(ConfigCheck.Check(conf).Select(d => d.ToString()), Is.Empty);
    }

    [Test]
    public void RacoonConfExampleUncommentedPassesRacoonCheckAndFindsItsKey()
    {
        var conf = Install(ShippedExample.Uncommented("racoon/racoon.conf"), ShippedExample.Uncommented("racoon/psk.txt"));

        Assert.That(ConfigCheck.Check(conf).Select(d => d.ToString()), Is.Empty);
        var loaded = RacoonConfLoader.Read(conf).Config!;
        Assert.Multiple(() =>
        {
            Assert.That(loaded.Remotes.Select(r => r.Address?.ToString()), Is.EqualTo(new[] { "192.0.2.2" }));
            Assert.That(loaded.Sainfos, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void PskTxtHoldsNoKeyAsShippedAndItsExamplesParse()
    {
        var shipped = PreSharedKeyTable.Parse(ShippedExample.Read("racoon/psk.txt"));
        var example = PreSharedKeyTable.Parse(ShippedExample.Uncommented("racoon/psk.txt"));
        Assert.Multiple(() =>
        {
            Assert.That(shipped.Entries, Is.Empty);
            Assert.That(shipped.Problems, Is.Empty);
            Assert.That(example.Problems, Is.Empty);
            Assert.That(example.Find("192.0.2.2"), Is.EqualTo(Encoding.ASCII.GetBytes("use-a-long-random-secret-here")));
            Assert.That(example.Find("peer.example.org"), Is.EqualTo(Encoding.ASCII.GetBytes("key bytes as hex...")));
        });
    }

    [TestCase(false, TestName = "IpsecToolsConfAsShippedPassesSetkeyN")]
    [TestCase(true, TestName = "IpsecToolsConfExampleUncommentedPassesSetkeyN")]
    public void IpsecToolsConfPassesSetkeyCheckOnly(bool uncommented)
    {
        var script = Path.Combine(directory, "ipsec-tools.conf");
        File.WriteAllText(script, uncommented ? ShippedExample.Uncommented("ipsec-tools.conf") : ShippedExample.Read("ipsec-tools.conf"));
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var status = SetkeyCli.Run(["-n", "-f", script], new StringReader(""), stdout, stderr, new KernelBackends());

        Assert.That((status, stdout.ToString(), stderr.ToString()), Is.EqualTo((0, "", "")));
    }

    /// <summary>
    /// racoon.conf and psk.txt in a directory of the test's own, as the package lays them out
    /// in /etc/racoon (psk.txt mode 0600, a certs directory).
    /// </summary>
    private string Install(string racoonConf, string pskTxt)
    {
        var psk = Path.Combine(directory, "psk.txt");
        File.WriteAllText(psk, pskTxt);
        File.SetUnixFileMode(psk, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Directory.CreateDirectory(Path.Combine(directory, "certs"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var conf = Path.Combine(directory, "racoon.conf");
        File.WriteAllText(conf, racoonConf.Replace("\"/etc/racoon/", $"\"{directory}/", StringComparison.Ordinal));
        return conf;
    }
}
