using System.Diagnostics;
using KernelIpsec.Fuzz;
using KernelIpsec.Tests.Infrastructure;
using KernelIpsec.Tests.Packaging;
using NUnit.Framework;

namespace KernelIpsec.Tests.Fuzz;

/// <summary>
/// CI's share of the coverage-guided fuzzing (tests/KernelIpsec.Fuzz): every committed corpus input and every
/// crash regression input, of every target, goes through every target in process, uninstrumented. A target
/// returns for its designed rejections; any other exception, or an input taking seconds (a hang under the
/// fuzzer), fails the test with the file and the target named.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class FuzzCorpusReplayTests
{
    private static readonly string FuzzRoot = Path.Combine(RepositoryRoot.Find(), "tests", "KernelIpsec.Fuzz");

    private static IEnumerable<string> Inputs(string folder) =>
        Directory.Exists(Path.Combine(FuzzRoot, folder))
            ? Directory.EnumerateFiles(Path.Combine(FuzzRoot, folder), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            : [];

    public static IEnumerable<TestCaseData> Targets() => FuzzTargets.Names.Select(n => new TestCaseData(n).SetName($"Every_corpus_and_regression_input_passes_target_{n}"));

    [Test]
    public void Every_target_has_a_seed_corpus()
    {
        foreach (var name in FuzzTargets.Names)
        {
            Assert.That(FuzzTargets.Create(name).Name, Is.EqualTo(name));
            Assert.That(Inputs(Path.Combine("corpus", name)), Is.Not.Empty, $"corpus/{name}");
        }
    }

    [TestCaseSource(nameof(Targets))]
    public void Replay(string name)
    {
        var target = FuzzTargets.Create(name);
        var inputs = Inputs("corpus").Concat(Inputs("regressions")).ToList();
        Assert.That(inputs, Has.Count.GreaterThan(FuzzTargets.Names.Count));
        var failures = new List<string>();
        foreach (var file in inputs)
        {
            var bytes = File.ReadAllBytes(file);
            var watch = Stopwatch.StartNew();
            try
            {
                target.Run(bytes);
            }
            catch (Exception e)
            {
                failures.Add($"{Path.GetRelativePath(FuzzRoot, file)}: {e}");
                continue;
            }
            if (watch.Elapsed > TimeSpan.FromSeconds(5))
            {
                failures.Add($"{Path.GetRelativePath(FuzzRoot, file)}: took {watch.Elapsed.TotalSeconds:F1} s");
            }
        }
        Assert.That(failures, Is.Empty, $"target {name}");
    }
}
