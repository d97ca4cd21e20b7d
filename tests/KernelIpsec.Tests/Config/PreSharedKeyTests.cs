using System.Text;
using KernelIpsec.Ike.Config;
using KernelIpsec.Keyd.Config;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Config;

[TestFixture, Category(Tier.Unit)]
public sealed class PreSharedKeyTests
{
    private const UnixFileMode Mode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Test]
    public void LinesFollowRacoonsRules()
    {
        var table = PreSharedKeyTable.Parse(
            "# comment\n" +
            "10.0.0.1\tsimple-key\n" +
            "  # not a comment: identity is empty\n" +
            "peer.example.com   key with  inner spaces \n" +
            "user@example.com 0x0102ab\n" +
            "lonely-identity\n" +
            "10.0.0.1 second-entry-ignored\n" +
            "bad 0xzz\n");

        Assert.That(table.Find("10.0.0.1"), Is.EqualTo(Encoding.ASCII.GetBytes("simple-key")));
        Assert.That(table.Find("peer.example.com"), Is.EqualTo(Encoding.ASCII.GetBytes("key with  inner spaces ")));
        Assert.That(table.Find("user@example.com"), Is.EqualTo(new byte[] { 0x01, 0x02, 0xab }));
        Assert.That(table.Find("lonely-identity"), Is.Null);
        Assert.That(table.Find("PEER.example.com"), Is.Null, "identities are case-sensitive");
        Assert.That(table.Problems, Is.EqualTo(new[] { "line 8: the key of \"bad\" starts with 0x but is not a hex string" }));
    }

    [Test]
    public void DebianWildcardMatchesWhereItStands()
    {
        var table = PreSharedKeyTable.Parse("10.0.0.1 exact\n* any\n10.0.0.2 shadowed\n");

        Assert.That(table.Find("10.0.0.1"), Is.EqualTo(Encoding.ASCII.GetBytes("exact")));
        Assert.That(table.Find("10.0.0.2"), Is.EqualTo(Encoding.ASCII.GetBytes("any")));
    }

    [Test]
    public void PrivateFileIsRead()
    {
        using var files = new ConfigTestFiles();
        var path = files.Write("psk.txt", "10.77.0.2 secret\n", Mode600);

        var store = new PreSharedKeyFile(path);

        Assert.That(store.Find("10.77.0.2"), Is.EqualTo(Encoding.ASCII.GetBytes("secret")));
        Assert.That(store.LastProblem, Is.Null);
    }

    [TestCase(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, "0640")]
    [TestCase(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead, "0604")]
    [TestCase(UnixFileMode.UserRead | UnixFileMode.GroupExecute, "0410")]
    public void GroupOrOtherPermissionIsRefusedWithTheFix(UnixFileMode mode, string octal)
    {
        using var files = new ConfigTestFiles();
        var path = files.Write("psk.txt", "10.77.0.2 secret\n", mode);

        var store = new PreSharedKeyFile(path);

        Assert.That(store.Find("10.77.0.2"), Is.Null);
        Assert.That(store.LastProblem, Is.EqualTo($"failed to open pre_share_key file {path}: {path} has weak file permission {octal}: group and others must have no access; fix: chmod 600 {path}"));
    }

    [Test]
    public void ADirectoryIsRefused()
    {
        using var files = new ConfigTestFiles();

        PreSharedKeyFile.TryLoad(files.Directory, out var problem);

        Assert.That(problem, Does.EndWith("is an invalid file type: it must be a regular file"));
    }

    [Test]
    public void AFileOwnedBySomeoneElseIsRefused()
    {
        Requirements.Root();
        using var files = new ConfigTestFiles();
        var path = files.Write("psk.txt", "10.77.0.2 secret\n", Mode600);
        var chown = System.Diagnostics.Process.Start("chown", ["65534", path])!;
        chown.WaitForExit();
        Assert.That(chown.ExitCode, Is.Zero);

        PreSharedKeyFile.TryLoad(path, out var problem);

        Assert.That(problem, Is.EqualTo($"failed to open pre_share_key file {path}: {path} has invalid owner uid 65534: it must be owned by uid 0 (root); fix: chown root {path}"));
    }
}
