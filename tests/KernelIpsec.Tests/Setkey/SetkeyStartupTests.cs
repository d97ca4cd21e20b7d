using System.IO.Pipes;
using System.Text;
using KernelIpsec.Setkey.Cli;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Setkey;

/// <summary>What Program sets up before a run: the Ctrl-C handler only for runs that wait for it, plain write(2) output.</summary>
[TestFixture, Category(Tier.Unit)]
public class SetkeyStartupTests
{
    [TestCase("-x", true)]
    [TestCase("-xx", true)]
    [TestCase("-D -l", true)]
    [TestCase("-Dl", true)]
    [TestCase("-D", false)]
    [TestCase("-DP", false)]
    [TestCase("-DP -l", false)]
    [TestCase("-F", false)]
    [TestCase("-f x.conf", false)]
    [TestCase("-c", false)]
    [TestCase("-x --bogus", false)]
    public void OnlyLoopingRunsListenForCtrlC(string args, bool listens) =>
        Assert.That(SetkeyOptions.Parse(args.Split(' ')).RunsUntilInterrupted, Is.EqualTo(listens));

    [Test]
    public void OutputStreamWritesEverythingToTheDescriptor()
    {
        using var reader = new AnonymousPipeServerStream(PipeDirection.In);
        using var writerHandle = reader.ClientSafePipeHandle;
        var text = string.Concat(Enumerable.Repeat("No SAD entries.\n", 10_000)); // more than a pipe holds at once
        var readAll = Task.Run(() => new StreamReader(reader, Encoding.UTF8).ReadToEnd());
        using (var writer = new StreamWriter(new UnixOutputStream((int)writerHandle.DangerousGetHandle())))
            writer.Write(text);
        reader.DisposeLocalCopyOfClientHandle();
        Assert.That(readAll.Wait(TimeSpan.FromSeconds(10)) ? readAll.Result : "(reader hung)", Is.EqualTo(text));
    }

    [Test]
    public void OutputToAReaderThatWentAwayEndsQuietly()
    {
        var reader = new AnonymousPipeServerStream(PipeDirection.In);
        using var writerHandle = reader.ClientSafePipeHandle;
        reader.Dispose(); // `setkey -D | head -0`: the reading end is closed
        var stream = new UnixOutputStream((int)writerHandle.DangerousGetHandle());
        Assert.DoesNotThrow(() =>
        {
            stream.Write("No SAD entries.\n"u8);
            stream.Write("again\n"u8);
        });
    }
}
