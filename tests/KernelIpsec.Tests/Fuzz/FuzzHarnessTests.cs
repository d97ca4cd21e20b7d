using KernelIpsec.Fuzz;
using KernelIpsec.Fuzz.Targets;
using KernelIpsec.Tests.Infrastructure;
using KernelIpsec.Tests.Packaging;
using NUnit.Framework;

namespace KernelIpsec.Tests.Fuzz;

/// <summary>The harnesses drive the code they claim to: a fuzzer that never gets past a check finds nothing behind it.</summary>
[TestFixture, Category(Tier.Unit)]
public class FuzzHarnessTests
{
    private static readonly string Corpus = Path.Combine(RepositoryRoot.Find(), "tests", "KernelIpsec.Fuzz", "corpus");

    [Test]
    public void Encrypted_target_gets_charons_quick_mode_past_decryption_and_the_hash_to_an_answer()
    {
        var target = new EncryptedChainTarget();
        // charon's first quick mode message (SA, nonce, IDs) after HASH(1): the responder engine answers it.
        target.Run(File.ReadAllBytes(Path.Combine(Corpus, "encrypted", "charon-00-QuickMode")));

        Assert.That(target.Answers, Is.EqualTo(1));
    }

    [Test]
    public void An_engine_internal_error_is_a_finding_not_a_log_line()
    {
        var logger = new KernelIpsec.Fuzz.Engines.FindingLogger();
        var cause = new InvalidCastException("from a packet");
        Microsoft.Extensions.Logging.LoggerExtensions.LogError(logger, cause, "internal error while handling a packet from {Remote}", "10.77.0.1[500]");

        var e = Assert.Throws<FuzzFindingException>(logger.ThrowIfInternalError);
        Assert.That(e!.InnerException, Is.SameAs(cause));
        Assert.DoesNotThrow(logger.ThrowIfInternalError, "reported once");
    }
}
