using System.Globalization;
using System.Net.Sockets;
using KernelIpsec.Keyd.Config;

namespace KernelIpsec.Keyd.Cli;

/// <summary>
/// racoon's getopt loop (`main.c` `parse()`): short options may be clustered (`-dd`, `-ffile`), GNU getopt
/// permutes, so operands anywhere make the whole line a usage error. `-F` and `-Z` print their banner the
/// moment getopt sees them and `-V` stops the loop, as racoon does. Long options are ours.
/// </summary>
public static class RacoonCommandLine
{
    public const string KernelEnvironmentVariable = KernelChoice.EnvironmentVariable;

    /// <summary>What the command line asks for.</summary>
    public abstract record Outcome;

    /// <summary>Run (or dump/check) with these options.</summary>
    public sealed record Parsed(RacoonOptions Options) : Outcome;

    /// <summary>Stop now with this exit code; the text is already written.</summary>
    public sealed record Exit(int Code) : Outcome;

    public static Outcome Parse(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        var options = new RacoonOptions();
        var kernelFromFlag = false;
        var operands = 0;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                operands += args.Count - i - 1;
                break;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var (name, inlineValue) = SplitLong(arg);
                switch (name)
                {
                    case "check" when inlineValue == null:
                        options = options with { CheckConfig = true };
                        continue;
                    case "kernel":
                        var value = inlineValue;
                        if (value == null)
                        {
                            if (i + 1 >= args.Count)
                            {
                                stderr.WriteLine("racoon: option '--kernel' requires an argument");
                                return Usage(stdout);
                            }
                            value = args[++i];
                        }
                        if (!KernelChoice.TryParse(value, out var kernel))
                        {
                            stderr.WriteLine($"racoon: unknown kernel interface \"{value}\" for --kernel (use {KernelChoice.NameList})");
                            return new Exit(1);
                        }
                        options = options with { Kernel = new KernelChoice(kernel, "--kernel") };
                        kernelFromFlag = true;
                        continue;
                    case "help":
                        return Usage(stdout);
                    default:
                        stderr.WriteLine($"racoon: unrecognized option '{arg}'");
                        return Usage(stdout);
                }
            }
            if (arg.Length < 2 || arg[0] != '-')
            {
                operands++;
                continue;
            }
            for (var j = 1; j < arg.Length; j++)
            {
                var flag = arg[j];
                if (flag is 'p' or 'P' or 'f' or 'l')
                {
                    string value;
                    if (j + 1 < arg.Length)
                    {
                        value = arg[(j + 1)..];
                    }
                    else if (i + 1 < args.Count)
                    {
                        value = args[++i];
                    }
                    else
                    {
                        stderr.WriteLine($"racoon: option requires an argument -- '{flag}'");
                        return Usage(stdout);
                    }
                    switch (flag)
                    {
                        case 'p':
                        case 'P':
                            if (!TryParsePort(value, out var port))
                            {
                                stderr.WriteLine($"racoon: invalid port number \"{value}\" for -{flag} (1-65535)");
                                return new Exit(1);
                            }
                            options = flag == 'p' ? options with { IsakmpPort = port } : options with { NattPort = port };
                            break;
                        case 'f':
                            options = options with { ConfigFile = value };
                            break;
                        default:
                            options = options with { LogFile = value };
                            break;
                    }
                    break;
                }
                switch (flag)
                {
                    case 'd':
                        options = options with { DebugLevel = options.DebugLevel + 1 };
                        break;
                    case 'L':
                        options = options with { PrintLocation = true };
                        break;
                    case 'F':
                        stdout.WriteLine("Foreground mode.");
                        options = options with { Foreground = true };
                        break;
                    case 'v':
                        options = options with { Verbose = options.Verbose + 1 };
                        break;
                    case 'V':
                        stdout.Write(VersionText);
                        return new Exit(0);
                    case 'Z':
                        stdout.WriteLine("Local test mode.");
                        options = options with { LocalTestMode = true };
                        break;
                    case 'B':
                        options = options with { LoadBackupSa = true };
                        break;
                    case 'C':
                        options = options with { DumpConfig = true };
                        break;
                    case '4':
                        options = options with { ListenFamily = AddressFamily.InterNetwork };
                        break;
                    case '6':
                        options = options with { ListenFamily = AddressFamily.InterNetworkV6 };
                        break;
                    default:
                        stderr.WriteLine($"racoon: invalid option -- '{flag}'");
                        return Usage(stdout);
                }
            }
        }
        if (operands != 0)
            return Usage(stdout);
        if (!kernelFromFlag && environment(KernelEnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            if (!KernelChoice.TryParse(fromEnvironment, out var kernel))
            {
                stderr.WriteLine($"racoon: unknown kernel interface \"{fromEnvironment}\" in {KernelEnvironmentVariable} (use {KernelChoice.NameList})");
                return new Exit(1);
            }
            options = options with { Kernel = new KernelChoice(kernel, KernelEnvironmentVariable) };
        }
        return new Parsed(options);
    }

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;

    private static (string Name, string? Value) SplitLong(string arg)
    {
        var body = arg[2..];
        var eq = body.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? (body, null) : (body[..eq], body[(eq + 1)..]);
    }

    private static Exit Usage(TextWriter stdout)
    {
        stdout.Write(UsageText);
        return new Exit(1);
    }

    /// <summary>racoon's `usage()` (with INET6), plus the two options this implementation adds.</summary>
    public const string UsageText =
        "usage: racoon [-BdFv46] [-f (file)] [-l (file)] [-p (port)] [-P (natt port)]\n" +
        "   -B: install SA to the kernel from the file specified by the configuration file.\n" +
        "   -d: debug level, more -d will generate more debug message.\n" +
        "   -C: dump parsed config file.\n" +
        "   -L: include location in debug messages\n" +
        "   -F: run in foreground, do not become daemon.\n" +
        "   -v: be more verbose\n" +
        "   -V: print version and exit\n" +
        "   -4: IPv4 mode.\n" +
        "   -6: IPv6 mode.\n" +
        "   -f: pathname for configuration file.\n" +
        "   -l: pathname for log file.\n" +
        "   -p: port number for isakmp (default: 500).\n" +
        "   -P: port number for NAT-T (default: 4500).\n" +
        "   --check: check the configuration file and the files it names, then exit.\n" +
        "   --kernel xfrm|pfkey: kernel interface (default xfrm; env KERNELIPSEC_KERNEL, racoon.conf `kernel`).\n" +
        "\n";

    public const string VersionString = "@(#)ipsec-tools 0.8.2 (http://ipsec-tools.sourceforge.net)";

    /// <summary>racoon's `print_version()`: the package line, then what this build carries.</summary>
    public const string VersionText =
        VersionString + "\n" +
        "\n" +
        "Compiled with:\n" +
        "- KernelIpsec racoon (.NET; System.Security.Cryptography and BouncyCastle)\n" +
        "- IPv6 support\n" +
        "- Admin port\n" +
        "- Monotonic clock\n" +
        "- Kernel interfaces: XFRM netlink (default), PF_KEY v2\n" +
        "\n";
}
