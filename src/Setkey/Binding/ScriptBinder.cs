using System.Globalization;
using System.Net;
using System.Net.Sockets;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.Model.Algorithms;
using KernelIpsec.Setkey.Commands;
using KernelIpsec.Setkey.Parsing;
using KernelIpsec.Setkey.Parsing.Ast;

namespace KernelIpsec.Setkey.Binding;

/// <summary>
/// Turns parsed statements into checked kernel commands: names (algorithms, protocols, services),
/// numbers, key lengths, addresses and policy shapes are resolved here, and every problem is a
/// <see cref="SetkeyScriptException"/> pointing at the word concerned. Binding does not touch the
/// kernel, so a whole script can be checked before any of it is applied.
/// </summary>
public sealed partial class ScriptBinder
{
    private readonly BindingOptions options;

    private readonly Dictionary<(AlgorithmKind Kind, string Name), IpsecAlgorithm?> algorithmsByName = [];

    public ScriptBinder(BindingOptions options) => this.options = options;

    /// <summary>Binds every statement; all problems are collected (in script order).</summary>
    public BoundScript Bind(IEnumerable<ScriptCommand> statements)
    {
        var commands = new List<KernelCommand>(statements.TryGetNonEnumeratedCount(out var count) ? count : 0);
        var errors = new List<SetkeyScriptException>();
        foreach (var statement in statements)
        {
            try
            {
                commands.AddRange(Bind(statement));
            }
            catch (SetkeyScriptException e)
            {
                errors.Add(e);
            }
        }
        return new BoundScript(commands, errors);
    }

    /// <summary>The kernel commands one statement stands for (none for <c>exit</c>).</summary>
    public IReadOnlyList<KernelCommand> Bind(ScriptCommand statement) => statement switch
    {
        SaCommand sa => BindSa(sa),
        DeleteAllCommand d => BindDeleteAll(d),
        FlushCommand f => [new FlushSasCommand(f.Position, f.Protocol is null ? null : BindProtocol(f.Protocol).Protocol)],
        DumpCommand d => [new DumpSasCommand(d.Position, d.Protocol is null ? null : BindProtocol(d.Protocol).Protocol)],
        PolicyCommand p => BindPolicy(p),
        TaggedPolicyCommand t => throw SetkeyScriptException.At(t.Tag, "tagged policies are not supported on Linux",
            "a selector (src dst upperspec); the kernel has no policy tags"),
        SpdDumpCommand d => [new DumpPoliciesCommand(d.Position)],
        SpdFlushCommand f => [new FlushPoliciesCommand(f.Position)],
        ExitCommand => [],
        _ => throw new ArgumentException($"unknown statement {statement.GetType().Name}", nameof(statement)),
    };

    private IReadOnlyList<KernelCommand> BindDeleteAll(DeleteAllCommand d)
    {
        var (protocol, _, _) = BindProtocol(d.Protocol);
        return [.. Pairs(d.Options, d.Source, d.Destination)
            .Select(p => (KernelCommand)new DeleteAllSasCommand(d.Position, p.Source, p.Destination, protocol))];
    }

    /// <summary>The protocol of an SA statement: its number, whether it is a KAME "-old" form, and NAT-T.</summary>
    private static (IpsecProtocol Protocol, bool Old, bool UdpEncapsulated) BindProtocol(ProtocolSpec spec) => spec.Name.Text switch
    {
        "esp" => (IpsecProtocol.Esp, false, false),
        "esp-old" => (IpsecProtocol.Esp, true, false),
        "esp-udp" => (IpsecProtocol.Esp, false, true),
        "ah" => (IpsecProtocol.Ah, false, false),
        "ah-old" => (IpsecProtocol.Ah, true, false),
        "ipcomp" => (IpsecProtocol.IpComp, false, false),
        _ => throw SetkeyScriptException.At(spec.Name, "Invalid SA type", "esp, ah, ipcomp or esp-udp (tcp-md5 SAs do not exist on Linux)"),
    };

    // ---- addresses

    /// <summary>The addresses a word stands for: a numeric address, or (without -n) what the name resolves to.</summary>
    private IReadOnlyList<IPAddress> Addresses(Lexeme word, AddressOptions flags)
    {
        IReadOnlyList<IPAddress> found;
        var family = flags.Family;
        if (IPAddress.TryParse(word.Text, out var numeric) && word.Text.Contains(numeric.AddressFamily == AddressFamily.InterNetworkV6 ? ':' : '.', StringComparison.Ordinal))
        {
            // The common case, taken without building lists: scripts of tens of thousands of statements are usual.
            if (family == AddressFamily.Unspecified || numeric.AddressFamily == family)
                return [numeric];
            found = [numeric];
        }
        else if (flags.NumericOnly)
        {
            throw SetkeyScriptException.At(word, "Name or service not known", "a numeric address (-n forbids name lookup)");
        }
        else
        {
            try
            {
                found = options.Resolver.Resolve(word.Text);
            }
            catch (SocketException e)
            {
                throw SetkeyScriptException.At(word, e.Message, "an IPv4 or IPv6 address or a resolvable host name");
            }
            catch (ArgumentException e)
            {
                throw SetkeyScriptException.At(word, e.Message, "an IPv4 or IPv6 address or a resolvable host name");
            }
        }

        var usable = found.Where(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6
            && (family == AddressFamily.Unspecified || a.AddressFamily == family)).ToList();
        if (usable.Count == 0)
        {
            throw SetkeyScriptException.At(word, "Address family for hostname not supported",
                family == AddressFamily.InterNetwork ? "an IPv4 address (-4)" : family == AddressFamily.InterNetworkV6 ? "an IPv6 address (-6)" : "an IPv4 or IPv6 address");
        }

        return usable;
    }

    /// <summary>Every (source, destination) pair of one family, as setkey sends one message per pair.</summary>
    private List<(IPAddress Source, IPAddress Destination)> Pairs(AddressOptions flags, Lexeme source, Lexeme destination)
    {
        var sources = Addresses(source, flags);
        var destinations = Addresses(destination, flags);
        if (sources.Count == 1 && destinations.Count == 1 && sources[0].AddressFamily == destinations[0].AddressFamily)
            return [(sources[0], destinations[0])];
        var pairs = (from s in sources from d in destinations where s.AddressFamily == d.AddressFamily select (s, d)).ToList();
        if (pairs.Count == 0)
            throw SetkeyScriptException.At(destination, "Family mismatch", $"an address of the same family as {source.Text}");
        return pairs;
    }

    private IPAddress SingleAddress(Lexeme word, AddressOptions flags)
    {
        var all = Addresses(word, flags);
        if (all.Count > 1)
            throw SetkeyScriptException.At(word, "multiple address specified", "a name with a single address, or a numeric address");
        return all[0];
    }

    private ushort Port(Lexeme? port)
    {
        if (port is null || port.Text == "any")
            return 0;
        if (SetkeyLexicon.IsDecimal(port.Text))
        {
            if (!ushort.TryParse(port.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                throw SetkeyScriptException.At(port, "Invalid port", "a port from 0 to 65535");
            return number;
        }
        return options.Services.UdpPort(port.Text)
            ?? throw SetkeyScriptException.At(port, "Servname not supported for ai_socktype", "a port number, any, or a UDP service name from /etc/services");
    }

    // ---- numbers

    private static ulong Number(Lexeme word, ulong max, string what)
    {
        if (!ulong.TryParse(word.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > max)
            throw SetkeyScriptException.At(word, $"{what} out of range", $"a number from 0 to {max}");
        return value;
    }
}
