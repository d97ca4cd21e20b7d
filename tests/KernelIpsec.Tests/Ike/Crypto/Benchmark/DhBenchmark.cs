using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using KernelIpsec.Ike.Crypto.DiffieHellman;
using KernelIpsec.Ike.Wire;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Crypto.Benchmark;

/// <summary>
/// Measures one IKE Diffie-Hellman exchange per group (our key generation + shared secret) beside
/// `openssl speed` on the same machine, and writes the "IKE Diffie-Hellman" section of
/// BENCHMARKS.md at the repository root. Explicit: runs only when asked for,
///   dotnet test tests/KernelIpsec.Tests --filter "TestCategory=Benchmark"
/// Fails if group 14 costs more than twice OpenSSL's (the issue's requirement).
/// </summary>
[TestFixture, Explicit("benchmark: takes ~1 min, run with --filter TestCategory=Benchmark"), Category("Benchmark")]
public partial class DhBenchmark
{
    private const string Section = "## IKE Diffie-Hellman";
    private static readonly TimeSpan MeasureFor = TimeSpan.FromSeconds(2);

    [Test]
    public void Diffie_Hellman_cost_beside_OpenSSL()
    {
        var libcrypto = new DhGroups(LibCryptoModularExponentiation.TryCreate()!);
        var bouncy = new DhGroups(new BouncyCastleModularExponentiation());

        var openSslFfdh2048 = OpenSslSpeed("ffdh2048", @"2048 bits ffdh\s+\S+\s+(?<ops>[\d.]+)");
        var openSslEcdh = new Dictionary<int, double>
        {
            [256] = OpenSslSpeed("ecdhp256", @"256 bits ecdh \(nistp256\)\s+\S+\s+(?<ops>[\d.]+)"),
            [384] = OpenSslSpeed("ecdhp384", @"384 bits ecdh \(nistp384\)\s+\S+\s+(?<ops>[\d.]+)"),
            [521] = OpenSslSpeed("ecdhp521", @"521 bits ecdh \(nistp521\)\s+\S+\s+(?<ops>[\d.]+)"),
        };

        var rows = new List<string>();
        double ourGroup14 = 0;
        foreach (var group in libcrypto.All)
        {
            double ms = MeasureExchange(group);
            string openssl = "";
            if (group.Id == DhGroupId.Modp2048)
            {
                ourGroup14 = ms;
                openssl = $"{Format(2000 / openSslFfdh2048)} (2 x ffdh2048 derive)";
            }
            else if (group is EcpGroup ecp && openSslEcdh.TryGetValue(ecp.CoordinateLength == 66 ? 521 : ecp.CoordinateLength * 8, out var ops))
            {
                openssl = $"{Format(2000 / ops)} (2 x ecdhp{(ecp.CoordinateLength == 66 ? 521 : ecp.CoordinateLength * 8)} derive)";
            }
            string implementation = group is ModpGroup modp
                ? $"libcrypto BN_mod_exp_mont_consttime, {modp.ExponentBits}-bit exponent"
                : ".NET ECDiffieHellman (OpenSSL)";
            rows.Add($"| {(int)group.Id} {group.Name} | {implementation} | {Format(ms)} | {openssl} |");
        }

        double bouncy14 = MeasureExchange(bouncy.Find(DhGroupId.Modp2048)!, TimeSpan.FromSeconds(3));
        double numericsFull = MeasureNumericsModPow(fullExponent: true);
        double numerics320 = MeasureNumericsModPow(fullExponent: false);
        double openSslPair = 2000 / openSslFfdh2048;
        double ratio = ourGroup14 / openSslPair;

        var text = new StringBuilder();
        text.AppendLine(Section);
        text.AppendLine();
        text.AppendLine("One Diffie-Hellman exchange as an IKE responder pays for it: generate our key pair, then");
        text.AppendLine("derive g^xy from the peer's public value (validation included). CPU milliseconds per exchange,");
        text.AppendLine("single thread (`openssl speed` counts user CPU time as well, so other load on the machine does");
        text.AppendLine("not distort the comparison). OpenSSL's figure is twice its `openssl speed` derive time (key");
        text.AppendLine("generation is the same exponentiation as derivation), measured in the same run. Both sides: best");
        text.AppendLine("of several rounds (ours: 5 rounds of 0.4 s; OpenSSL: 3 runs of `openssl speed -seconds 1`).");
        text.AppendLine();
        text.AppendLine($"Produced by `dotnet test tests/KernelIpsec.Tests --filter \"TestCategory=Benchmark\"` (Debug build)");
        text.AppendLine($"on {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, {CpuModel()}, {OpenSslVersion()}, .NET {Environment.Version}.");
        text.AppendLine();
        text.AppendLine("| group | implementation | ours: keygen + shared secret (ms) | OpenSSL (ms) |");
        text.AppendLine("| --- | --- | ---: | ---: |");
        foreach (var row in rows)
            text.AppendLine(row);
        text.AppendLine();
        text.AppendLine($"**Group 14 (modp2048): {Format(ourGroup14)} ms vs OpenSSL {Format(openSslPair)} ms = {ratio.ToString("0.00", CultureInfo.InvariantCulture)}x** (requirement: at most 2x).");
        text.AppendLine($"`openssl speed ffdh2048`: {openSslFfdh2048.ToString("0", CultureInfo.InvariantCulture)} derives/s; OpenSSL 3 uses 225-bit private exponents for ffdhe2048");
        text.AppendLine("(RFC 7919's short-exponent size), we use 320 bits (RFC 3526 section 8, strength estimate 2).");
        text.AppendLine();
        text.AppendLine("ECP groups go through .NET's ECDiffieHellman as the design asks; most of their cost is .NET's");
        text.AppendLine("per-call key objects (import with full key check, EVP context set-up), not the curve arithmetic.");
        text.AppendLine();
        text.AppendLine("Alternatives for group 14, same measurement:");
        text.AppendLine();
        text.AppendLine("| implementation | ms per exchange |");
        text.AppendLine("| --- | ---: |");
        text.AppendLine($"| BouncyCastle BigInteger.ModPow (our fallback without libcrypto), 320-bit exponent | {Format(bouncy14)} |");
        text.AppendLine($"| System.Numerics.BigInteger.ModPow, 320-bit exponent (2 exponentiations) | {Format(numerics320)} |");
        text.AppendLine($"| System.Numerics.BigInteger.ModPow, full 2048-bit exponent (2 exponentiations) | {Format(numericsFull)} |");
        text.AppendLine();
        WriteSection(text.ToString());

        TestContext.Out.WriteLine(text.ToString());
        Assert.That(ratio, Is.LessThanOrEqualTo(2.0), "group 14 keygen + shared secret must cost at most 2x OpenSSL's");
    }

    private static double MeasureExchange(DhGroup group, TimeSpan? duration = null)
    {
        using var peer = group.GenerateKeyPair();
        var peerValue = peer.PublicValue.ToArray();
        void Once()
        {
            using var ours = group.GenerateKeyPair();
            var secret = ours.DeriveSharedSecret(peerValue);
            CryptographicOperations.ZeroMemory(secret);
        }
        Once();
        Once();
        return Measure(Once, duration ?? MeasureFor);
    }

    private static double MeasureNumericsModPow(bool fullExponent)
    {
        var prime = ((ModpGroup)DhGroups.CreateDefault().Find(DhGroupId.Modp2048)!).Prime.ToArray();
        var p = new BigInteger(prime, isUnsigned: true, isBigEndian: true);
        var peer = BigInteger.ModPow(2, new BigInteger(RandomNumberGenerator.GetBytes(40), true, true), p);
        void Once()
        {
            var x = new BigInteger(RandomNumberGenerator.GetBytes(fullExponent ? 255 : 40), true, true);
            _ = BigInteger.ModPow(2, x, p);
            _ = BigInteger.ModPow(peer, x, p);
        }
        Once();
        return Measure(Once, TimeSpan.FromSeconds(3));
    }

    /// <summary>
    /// CPU milliseconds of this thread per operation, best of five rounds. CPU time, not wall time,
    /// because `openssl speed` counts user CPU time too (its default; -elapsed switches that off),
    /// and the machine is shared: wall time would measure the other builds.
    /// </summary>
    private static double Measure(Action operation, TimeSpan duration)
    {
        double best = double.MaxValue;
        for (int round = 0; round < 5; round++)
        {
            var clock = Stopwatch.StartNew();
            double cpuStart = ThreadCpuMilliseconds();
            int count = 0;
            while (clock.Elapsed < duration / 5)
            {
                operation();
                count++;
            }
            best = Math.Min(best, (ThreadCpuMilliseconds() - cpuStart) / count);
        }
        return best;
    }

    private static double ThreadCpuMilliseconds()
    {
        const int CLOCK_THREAD_CPUTIME_ID = 3;
        if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, out var time) != 0)
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        return time.Seconds * 1000.0 + time.Nanoseconds / 1_000_000.0;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int clock_gettime(int clockId, out TimeSpec time);

    /// <summary>Operations per second, best of three 1-second runs (the same treatment as ours).</summary>
    private static double OpenSslSpeed(string algorithm, string pattern)
    {
        double best = 0;
        for (int round = 0; round < 3; round++)
        {
            var output = Run("openssl", $"speed -seconds 1 {algorithm}");
            var match = Regex.Match(output, pattern);
            if (!match.Success)
                Assert.Fail($"could not read `openssl speed {algorithm}` output:\n{output}");
            best = Math.Max(best, double.Parse(match.Groups["ops"].Value, CultureInfo.InvariantCulture));
        }
        return best;
    }

    private static string OpenSslVersion() => Run("openssl", "version").Trim();

    private static string CpuModel()
    {
        foreach (var line in File.ReadLines("/proc/cpuinfo"))
        {
            if (line.StartsWith("model name", StringComparison.Ordinal))
                return line[(line.IndexOf(':') + 1)..].Trim();
        }
        return "unknown CPU";
    }

    private static string Run(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return stdout.Result + stderr.Result;
    }

    private static string Format(double ms) => ms.ToString(ms < 10 ? "0.000" : "0.0", CultureInfo.InvariantCulture);

    /// <summary>Replaces our section of BENCHMARKS.md (other sections belong to others) or appends it.</summary>
    private static void WriteSection(string section)
    {
        var path = Path.Combine(RepositoryRoot(), "BENCHMARKS.md");
        string existing = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n\n";
        int start = existing.IndexOf(Section, StringComparison.Ordinal);
        string updated;
        if (start < 0)
        {
            updated = existing.TrimEnd('\n') + "\n\n" + section;
        }
        else
        {
            int end = existing.IndexOf("\n## ", start + Section.Length, StringComparison.Ordinal);
            updated = existing[..start] + section + (end < 0 ? "" : existing[(end + 1)..]);
        }
        File.WriteAllText(path, updated);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KernelIpsec.sln")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException("KernelIpsec.sln not found above the test directory");
    }
}
