using KernelIpsec.Tests.Infrastructure;
using KernelIpsec.Tests.Packaging;

namespace KernelIpsec.Tests.EndToEnd;

/// <summary>
/// The issue's seed scenario for one host, as a racoon user writes it: setkey.conf with policies only
/// (transport, require), racoon.conf with `remote anonymous` (main,aggressive; 3des/sha1/pre_shared_key/
/// dh_group 2) and `sainfo anonymous` (pfs_group 1; 3des; hmac_sha1; deflate), psk.txt (0600) keyed by
/// the peer's address. The two config files are tests/scenarios/seed/*, the same ones ./demo.sh plays.
/// </summary>
public static class SeedScenario
{
    public const string PreSharedKey = "seed-scenario-pre-shared-key-4711";

    public sealed record Files(string Directory, string RacoonConf, string SetkeyConf);

    public static Files Write(string directory, bool isLeft)
    {
        Directory.CreateDirectory(directory);
        var me = isLeft ? NetnsPair.LeftAddress : NetnsPair.RightAddress;
        var peer = isLeft ? NetnsPair.RightAddress : NetnsPair.LeftAddress;
        var templates = Path.Combine(RepositoryRoot.Find(), "tests", "scenarios", "seed");
        string Fill(string name) => File.ReadAllText(Path.Combine(templates, name))
            .Replace("@ME@", me, StringComparison.Ordinal)
            .Replace("@PEER@", peer, StringComparison.Ordinal)
            .Replace("@DIR@", directory, StringComparison.Ordinal);

        var setkeyConf = Path.Combine(directory, "setkey.conf");
        File.WriteAllText(setkeyConf, Fill("setkey.conf"));

        var psk = Path.Combine(directory, "psk.txt");
        File.WriteAllText(psk, $"{peer}\t{PreSharedKey}\n");
        File.SetUnixFileMode(psk, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var racoonConf = Path.Combine(directory, "racoon.conf");
        File.WriteAllText(racoonConf, Fill("racoon.conf"));
        return new Files(directory, racoonConf, setkeyConf);
    }
}
