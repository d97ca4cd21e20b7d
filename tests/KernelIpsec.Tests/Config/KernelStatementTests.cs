using KernelIpsec.Keyd.Cli;
using KernelIpsec.Keyd.Config;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Config;

/// <summary>
/// racoon.conf's `kernel xfrm|pfkey;` (KernelIpsec extension) and its place in the precedence
/// `--kernel` &gt; KERNELIPSEC_KERNEL &gt; racoon.conf &gt; xfrm.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public sealed class KernelStatementTests
{
    private const string Remote = "remote anonymous {\n exchange_mode main;\n proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method pre_shared_key; dh_group 2; }\n}\n";

    [TestCase("kernel pfkey;", KernelInterface.PfKey)]
    [TestCase("kernel xfrm;", KernelInterface.Xfrm)]
    public void KernelStatementIsReadWithItsPosition(string statement, KernelInterface expected)
    {
        var result = RacoonConfLoader.ReadText("log info;\n  " + statement + "\n" + Remote, "/etc/racoon/racoon.conf");

        Assert.That(result.Errors, Is.Empty, () => string.Join("\n", result.Diagnostics));
        Assert.That(result.Kernel, Is.EqualTo(new KernelChoice(expected, "/etc/racoon/racoon.conf:2:3")));
    }

    [Test]
    public void AFileWithoutTheStatementLeavesTheChoiceOpen()
    {
        Assert.That(RacoonConfLoader.ReadText(Remote).Kernel, Is.Null);
    }

    [Test]
    public void TheLastStatementWins()
    {
        var result = RacoonConfLoader.ReadText("kernel pfkey;\nkernel xfrm;\n" + Remote, "r.conf");

        Assert.That(result.Kernel, Is.EqualTo(new KernelChoice(KernelInterface.Xfrm, "r.conf:2:1")));
    }

    [TestCase("kernel netlink;", 1, 8, "syntax error: unexpected 'netlink', expected a kernel interface (xfrm or pfkey)")]
    [TestCase("kernel \"pfkey\";", 1, 8, "syntax error: unexpected '\"', expected a kernel interface (xfrm or pfkey)")]
    [TestCase("kernel pfkey", 1, 13, "syntax error: unexpected end of file, expected ';'")]
    [TestCase("\n\nkernel;", 3, 7, "syntax error: unexpected ';', expected a kernel interface (xfrm or pfkey)")]
    public void BadKernelValuesNameTheirPosition(string text, int line, int column, string message)
    {
        var error = ConfigTestFiles.FirstError(text, "/etc/racoon/racoon.conf");

        Assert.That(error.ToString(), Is.EqualTo($"/etc/racoon/racoon.conf:{line}:{column}: error: {message}"));
    }

    [Test]
    public void CheckRejectsABadKernelValueAndAcceptsAGoodOne()
    {
        using var files = new ConfigTestFiles();
        var bad = files.Write("bad.conf", "kernel bsd;\n" + Remote);
        var psk = files.Write("psk.txt", "10.77.0.2 secret\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var good = files.Write("good.conf", $"path pre_shared_key \"{psk}\";\nkernel pfkey;\n" + Remote);
        var output = new StringWriter { NewLine = "\n" };

        Assert.That(ConfigCheck.Run(bad, output), Is.EqualTo(1));
        Assert.That(output.ToString(), Does.StartWith($"{bad}:1:8: error: syntax error: unexpected 'bsd', expected a kernel interface (xfrm or pfkey)\n"));
        output.GetStringBuilder().Clear();
        Assert.That(ConfigCheck.Run(good, output), Is.EqualTo(0), output.ToString());
    }

    private static readonly KernelChoice Flag = new(KernelInterface.Xfrm, "--kernel");
    private static readonly KernelChoice Environment = new(KernelInterface.PfKey, "KERNELIPSEC_KERNEL");
    private static readonly KernelChoice File = new(KernelInterface.PfKey, "racoon.conf:1:1");

    [Test]
    public void CommandLineWinsOverTheFileAndTheFileOverTheDefault()
    {
        Assert.That(KernelChoice.Resolve(Flag, File), Is.EqualTo(Flag));
        Assert.That(KernelChoice.Resolve(Environment, new KernelChoice(KernelInterface.Xfrm, "racoon.conf:1:1")), Is.EqualTo(Environment));
        Assert.That(KernelChoice.Resolve(null, File), Is.EqualTo(File));
        Assert.That(KernelChoice.Resolve(null, null), Is.EqualTo(new KernelChoice(KernelInterface.Xfrm, "default")));
    }

    [TestCase("--kernel xfrm", "pfkey", KernelInterface.Xfrm, "--kernel")]
    [TestCase("", "xfrm", KernelInterface.Xfrm, "KERNELIPSEC_KERNEL")]
    [TestCase("", null, KernelInterface.PfKey, "r.conf:1:1")]
    public void FlagThenEnvironmentThenFile(string line, string? environment, KernelInterface expected, string source)
    {
        var parsed = RacoonCommandLine.Parse(line.Length == 0 ? [] : line.Split(' '), TextWriter.Null, TextWriter.Null,
            name => name == RacoonCommandLine.KernelEnvironmentVariable ? environment : null);
        var options = ((RacoonCommandLine.Parsed)parsed).Options;
        var file = RacoonConfLoader.ReadText("kernel pfkey;\n" + Remote, "r.conf");

        Assert.That(KernelChoice.Resolve(options.Kernel, file.Kernel), Is.EqualTo(new KernelChoice(expected, source)));
    }

    [Test]
    public void DumpShowsTheChosenKernelAndItsSourceOnlyWhenChosen()
    {
        var file = RacoonConfLoader.ReadText("kernel pfkey;\n" + Remote, "r.conf");
        var chosen = new StringWriter { NewLine = "\n" };
        var plain = new StringWriter { NewLine = "\n" };

        ConfigDumper.Dump(file.Config!, chosen, KernelChoice.Resolve(null, file.Kernel));
        ConfigDumper.Dump(file.Config!, plain, KernelChoice.Resolve(null, null));

        Assert.That(chosen.ToString(), Does.StartWith("/* KernelIpsec extension, from r.conf:1:1 */\nkernel pfkey;\n\nremote \"anonymous\" {\n"));
        Assert.That(plain.ToString(), Does.StartWith("remote \"anonymous\" {\n"), "without a choice the dump is racoon's -C");
    }
}
