// The logging tests call the logger with literal arguments on purpose.
#pragma warning disable CA1873
using System.Net.Sockets;
using System.Text;
using KernelIpsec.Ike.Config;
using KernelIpsec.Keyd.Daemon;
using KernelIpsec.Keyd.Logging;
using KernelIpsec.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd;

[TestFixture, Category(Tier.Unit), System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class RacoonLoggingTests
{
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }

    private const string Endpoint = "10.77.0.1[500]";

    private static readonly DateTimeOffset Noon = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Test]
    public void LineIsRacoonsPlogFormat()
    {
        var line = RacoonLogLine.Format(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeZoneInfo.Local.GetUtcOffset(new DateTime(2026, 11, 23, 10, 0, 0))),
            RacoonLogLevel.Info, null, "IPsec-SA established: ESP/Transport 10.77.0.2[0]->10.77.0.1[0] spi=1(0x1)");
        Assert.That(line, Is.EqualTo("2026-11-23 10:00:00: INFO: IPsec-SA established: ESP/Transport 10.77.0.2[0]->10.77.0.1[0] spi=1(0x1)"));
    }

    [TestCase(LogLevel.Critical, "ERROR")]
    [TestCase(LogLevel.Error, "ERROR")]
    [TestCase(LogLevel.Warning, "WARNING")]
    [TestCase(LogLevel.Information, "INFO")]
    [TestCase(LogLevel.Debug, "DEBUG")]
    [TestCase(LogLevel.Trace, "DEBUG2")]
    public void LevelsMapToRacoonNames(LogLevel level, string name) =>
        Assert.That(RacoonLogLine.LevelName(RacoonLogLine.FromLogLevel(level)!.Value), Is.EqualTo(name));

    [Test]
    public void NotifyEventIdGivesTheNotifyLevel() =>
        Assert.That(RacoonLogLine.FromLogLevel(LogLevel.Information, RacoonLogLine.Notify), Is.EqualTo(RacoonLogLevel.Notify));

    [TestCase(RacoonLogLevel.Info, 0, RacoonLogLevel.Info)]
    [TestCase(RacoonLogLevel.Info, 1, RacoonLogLevel.Debug)]
    [TestCase(RacoonLogLevel.Info, 2, RacoonLogLevel.Debug2)]
    [TestCase(RacoonLogLevel.Notify, 1, RacoonLogLevel.Info)]
    [TestCase(RacoonLogLevel.Debug, 5, RacoonLogLevel.Debug2)]
    public void EachDashDRaisesTheConfiguredLevelByOne(RacoonLogLevel configured, int flags, RacoonLogLevel effective) =>
        Assert.That(RacoonLogSettings.Effective(configured, flags), Is.EqualTo(effective));

    [Test]
    public void ProviderFiltersByTheLiveLevelAndWritesWholeLines()
    {
        var output = new StringWriter();
        var settings = new RacoonLogSettings(RacoonLogLevel.Info);
        using var provider = new RacoonLoggerProvider(new TextWriterLogSink(output), settings, new FixedTime(Noon));
        var logger = provider.CreateLogger("KernelIpsec.Keyd.Daemon.KeyDaemon");

        logger.LogDebug("hidden at INFO");
        logger.LogInformation("{Endpoint} used as isakmp port (fd={Fd})", Endpoint, 7);
        logger.LogWarning("careful");
        settings.Level = RacoonLogLevel.Debug;
        logger.LogDebug("now visible");

        Assert.That(output.ToString(), Is.EqualTo(
            "2026-11-23 10:00:00: INFO: 10.77.0.1[500] used as isakmp port (fd=7)\n" +
            "2026-11-23 10:00:00: WARNING: careful\n" +
            "2026-11-23 10:00:00: DEBUG: now visible\n"));
    }

    [Test]
    public void LocationFlagPrefixesTheComponent()
    {
        var output = new StringWriter();
        using var provider = new RacoonLoggerProvider(new TextWriterLogSink(output), new RacoonLogSettings(RacoonLogLevel.Info, printLocation: true), new FixedTime(Noon));
        provider.CreateLogger("KernelIpsec.Keyd.Transport.IkeTransport").LogError("failed to bind");
        Assert.That(output.ToString(), Is.EqualTo("2026-11-23 10:00:00: ERROR: IkeTransport: failed to bind\n"));
    }

    [Test]
    public void JournalLinesStartWithTheirSyslogPriorityAndCarryNoTimestamp()
    {
        var output = new StringWriter();
        var settings = new RacoonLogSettings(RacoonLogLevel.Debug);
        using var provider = new RacoonLoggerProvider(new TextWriterLogSink(output, journal: true), settings, new FixedTime(Noon));
        var logger = provider.CreateLogger("KernelIpsec.Keyd.Daemon.KeyDaemon");

        logger.LogError("failed to bind");
        logger.LogWarning("careful");
        logger.LogInformation(RacoonLogLine.Notify, "phase 1 up");
        logger.LogInformation("started");
        logger.LogDebug("detail");

        Assert.That(output.ToString(), Is.EqualTo(
            "<3>ERROR: failed to bind\n<4>WARNING: careful\n<5>NOTIFY: phase 1 up\n<6>INFO: started\n<7>DEBUG: detail\n"));
    }

    [Test]
    public void JournalStreamIsRecognisedByTheDeviceAndInodeOfTheDescriptor()
    {
        var dir = Directory.CreateTempSubdirectory("keyd-journal");
        try
        {
            var path = Path.Combine(dir.FullName, "stream");
            var other = Path.Combine(dir.FullName, "other");
            File.WriteAllText(other, "");
            using var file = File.Open(path, FileMode.Create);
            var fd = (int)file.SafeFileHandle.DangerousGetHandle();
            // stat(1) prints st_dev and st_ino in decimal, as systemd writes JOURNAL_STREAM.
            var identity = Shell.Run("stat", $"-c %d:%i {path}").Trim();
            var otherIdentity = Shell.Run("stat", $"-c %d:%i {other}").Trim();
            Assert.Multiple(() =>
            {
                Assert.That(JournalStream.Matches(identity, fd), Is.True, identity);
                Assert.That(JournalStream.Matches(otherIdentity, fd), Is.False, "another file on the same device");
                Assert.That(JournalStream.Matches(null, fd), Is.False);
                Assert.That(JournalStream.Matches("garbage", fd), Is.False);
                Assert.That(JournalStream.Matches(identity, 9999), Is.False, "a closed descriptor");
            });
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void ExceptionMessageIsAppended()
    {
        var output = new StringWriter();
        using var provider = new RacoonLoggerProvider(new TextWriterLogSink(output), new RacoonLogSettings(RacoonLogLevel.Info), new FixedTime(Noon));
        provider.CreateLogger("x").LogError(new InvalidOperationException("boom"), "internal error");
        Assert.That(output.ToString(), Is.EqualTo("2026-11-23 10:00:00: ERROR: internal error: boom\n"));
    }

    [Test]
    public void FileSinkAppendsWithOwnerOnlyModeAndReopensAfterRotation()
    {
        var dir = Directory.CreateTempSubdirectory("keyd-log");
        try
        {
            var path = Path.Combine(dir.FullName, "racoon.log");
            using (var sink = new FileLogSink(path))
            {
                sink.Write(Noon, RacoonLogLevel.Info, "INFO: first");
                File.Move(path, path + ".1");
                sink.Reopen();
                sink.Write(Noon, RacoonLogLevel.Info, "INFO: second");
            }
            Assert.That(File.ReadAllText(path + ".1"), Does.EndWith(": INFO: first\n"));
            Assert.That(File.ReadAllText(path), Does.EndWith(": INFO: second\n"));
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void SyslogDatagramIsDaemonFacilityWithTagAndRacoonBody()
    {
        var local = new DateTimeOffset(2026, 11, 3, 9, 5, 7, TimeZoneInfo.Local.GetUtcOffset(new DateTime(2026, 11, 3, 9, 5, 7)));
        Assert.That(SyslogLogSink.Datagram(local, RacoonLogLevel.Info, "INFO: hello", 42), Is.EqualTo("<30>Nov  3 09:05:07 racoon[42]: INFO: hello"));
        Assert.That(SyslogLogSink.Datagram(local, RacoonLogLevel.Error, "ERROR: bad", 42), Does.StartWith("<27>"));
        Assert.That(SyslogLogSink.Datagram(local, RacoonLogLevel.Debug2, "DEBUG2: x", 42), Does.StartWith("<31>"));
    }

    [Test]
    public void SyslogSinkSendsToTheSocket()
    {
        var dir = Directory.CreateTempSubdirectory("keyd-syslog");
        try
        {
            var path = Path.Combine(dir.FullName, "log");
            using var server = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            server.Bind(new UnixDomainSocketEndPoint(path));
            using var sink = new SyslogLogSink(path, processId: 99);
            sink.Write(Noon, RacoonLogLevel.Warning, "WARNING: w");
            var buffer = new byte[512];
            server.ReceiveTimeout = 5000;
            var n = server.Receive(buffer);
            Assert.That(Encoding.UTF8.GetString(buffer, 0, n), Does.StartWith("<28>").And.EndWith(" racoon[99]: WARNING: w"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void SyslogSinkDropsEntriesWhileNobodyListens()
    {
        using var sink = new SyslogLogSink("/nonexistent/keyd/log", processId: 1);
        Assert.DoesNotThrow(() => sink.Write(Noon, RacoonLogLevel.Info, "INFO: lost"));
    }
}

[TestFixture, Category(Tier.Unit)]
public class PidFileTests
{
    [Test]
    public void WritesPidAndNewlineAndRemovesOnDispose()
    {
        var dir = Directory.CreateTempSubdirectory("keyd-pid");
        try
        {
            var path = Path.Combine(dir.FullName, "sub", "racoon.pid");
            using (PidFile.Write(path, 4242))
                Assert.That(File.ReadAllText(path), Is.EqualTo("4242\n"));
            Assert.That(File.Exists(path), Is.False);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [TestCase(null, "/var/run/racoon.pid")]
    [TestCase("racoon2.pid", "/var/run/racoon2.pid")]
    [TestCase("/run/r.pid", "/run/r.pid")]
    public void PathFollowsRacoonsRules(string? configured, string expected) =>
        Assert.That(PidFile.Resolve(configured), Is.EqualTo(expected));
}
