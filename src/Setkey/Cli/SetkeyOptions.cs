using KernelIpsec.Netlink.Backends;
namespace KernelIpsec.Setkey.Cli;

/// <summary>The command line, parsed as setkey's getopt string <c>acdf:HlnvxDFPphVrk?</c> plus long options.</summary>
public sealed record SetkeyOptions
{
    public SetkeyMode? Mode { get; init; }

    public string? ScriptFile { get; init; }

    public bool Policy { get; init; }

    public bool ShowDead { get; init; }

    public bool ShowPorts { get; init; }

    public bool Loop { get; init; }

    public bool NoAction { get; init; }

    public bool Verbose { get; init; }

    public int Promiscuous { get; init; }

    public bool HexDump { get; init; }

    public bool RfcMode { get; init; } = true;

    public bool Version { get; init; }

    public bool Help { get; init; }

    public bool Atomic { get; init; }

    public string Kernel { get; init; } = KernelIpsecFactory.Default;

    /// <summary>Non-option arguments: files of saved PF_KEY messages.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>-x and -D -l: they run until interrupted, and Ctrl-C ends them with status 0 (like the reference).</summary>
    public bool RunsUntilInterrupted => Problem is null && (Mode == SetkeyMode.Promiscuous || (Mode == SetkeyMode.Dump && Loop && !Policy));

    /// <summary>Set when the command line itself is wrong (an unknown option, a missing argument).</summary>
    public string? Problem { get; init; }

    public static SetkeyOptions Parse(IReadOnlyList<string> args)
    {
        var o = new SetkeyOptions();
        var files = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                files.AddRange(args.Skip(i + 1));
                break;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var (name, value) = arg.IndexOf('=', StringComparison.Ordinal) is var eq and > 0 ? (arg[2..eq], arg[(eq + 1)..]) : (arg[2..], null);
                switch (name)
                {
                    case "kernel":
                        value ??= i + 1 < args.Count ? args[++i] : null;
                        if (value is null)
                            return o with { Problem = "option --kernel needs an argument (xfrm or pfkey)" };
                        o = o with { Kernel = value };
                        break;
                    case "atomic":
                        o = o with { Atomic = true };
                        break;
                    case "help":
                        o = o with { Help = true };
                        break;
                    case "version":
                        o = o with { Version = true };
                        break;
                    default:
                        return o with { Problem = $"unknown option --{name}" };
                }
                continue;
            }
            if (arg.Length < 2 || arg[0] != '-')
            {
                files.Add(arg);
                continue;
            }
            for (var k = 1; k < arg.Length; k++)
            {
                var c = arg[k];
                switch (c)
                {
                    case 'a': o = o with { ShowDead = true }; break;
                    case 'c': o = o with { Mode = SetkeyMode.Stdin }; break;
                    case 'f':
                        string? file = k + 1 < arg.Length ? arg[(k + 1)..] : i + 1 < args.Count ? args[++i] : null;
                        if (file is null)
                            return o with { Problem = "option requires an argument -- 'f'" };
                        o = o with { Mode = SetkeyMode.Script, ScriptFile = file };
                        k = arg.Length;
                        break;
                    case 'H': o = o with { HexDump = true }; break;
                    case 'l': o = o with { Loop = true }; break;
                    case 'n': o = o with { NoAction = true }; break;
                    case 'v': o = o with { Verbose = true }; break;
                    case 'x': o = o with { Mode = SetkeyMode.Promiscuous, Promiscuous = o.Promiscuous + 1 }; break;
                    case 'D': o = o with { Mode = SetkeyMode.Dump }; break;
                    case 'F': o = o with { Mode = SetkeyMode.Flush }; break;
                    case 'P': o = o with { Policy = true }; break;
                    case 'p': o = o with { ShowPorts = true }; break;
                    case 'V': o = o with { Version = true }; break;
                    case 'r': o = o with { RfcMode = true }; break;
                    case 'k': o = o with { RfcMode = false }; break;
                    case 'h' or '?' or 'd': o = o with { Help = true }; break;
                    default:
                        return o with { Problem = $"invalid option -- '{c}'" };
                }
            }
        }
        return o with { Files = files };
    }
}
