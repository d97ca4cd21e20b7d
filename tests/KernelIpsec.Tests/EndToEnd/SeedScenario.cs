using KernelIpsec.Tests.Infrastructure;

namespace KernelIpsec.Tests.EndToEnd;

/// <summary>
/// The seed scenario for one host, as a racoon user writes it (and ./demo.sh plays it):
/// setkey.conf with policies only (transport, require), racoon.conf with `remote anonymous`
/// (main,aggressive; 3des/sha1/pre_shared_key/dh_group 2) and `sainfo anonymous` (pfs_group 1;
/// 3des; hmac_sha1; deflate), psk.txt (0600) keyed by the peer's address.
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

        var setkeyConf = Path.Combine(directory, "setkey.conf");
        File.WriteAllText(setkeyConf, $"""
            flush;
            spdflush;
            spdadd {me} {peer} any -P out ipsec esp/transport//require;
            spdadd {peer} {me} any -P in ipsec esp/transport//require;

            """);

        var psk = Path.Combine(directory, "psk.txt");
        File.WriteAllText(psk, $"{peer}\t{PreSharedKey}\n");
        File.SetUnixFileMode(psk, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var racoonConf = Path.Combine(directory, "racoon.conf");
        File.WriteAllText(racoonConf, $$"""
            path pre_shared_key "{{psk}}";
            path pidfile "{{Path.Combine(directory, "racoon.pid")}}";
            listen {
            	isakmp {{me}} [500];
            	adminsock "{{Path.Combine(directory, "racoon.sock")}}";
            }
            remote anonymous {
            	exchange_mode main,aggressive;
            	proposal {
            		encryption_algorithm 3des;
            		hash_algorithm sha1;
            		authentication_method pre_shared_key;
            		dh_group 2;
            	}
            }
            sainfo anonymous {
            	pfs_group 1;
            	encryption_algorithm 3des;
            	authentication_algorithm hmac_sha1;
            	compression_algorithm deflate;
            }

            """);
        return new Files(directory, racoonConf, setkeyConf);
    }
}
