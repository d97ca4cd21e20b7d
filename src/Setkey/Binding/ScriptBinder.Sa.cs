using System.Globalization;
using System.Text;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.Model.Algorithms;
using KernelIpsec.Setkey.Commands;
using KernelIpsec.Setkey.Parsing;
using KernelIpsec.Setkey.Parsing.Ast;

namespace KernelIpsec.Setkey.Binding;

public sealed partial class ScriptBinder
{
    /// <summary>Linux PF_KEY caps the replay window at the 32 bits of its legacy bitmap (af_key.c); setkey users get that.</summary>
    public const uint MaxReplayWindow = 32;

    /// <summary>NAT-T port when an esp-udp address has none (setkey's DEFAULT_NATT_PORT).</summary>
    public const ushort DefaultNatTPort = 4500;

    private IReadOnlyList<KernelCommand> BindSa(SaCommand c)
    {
        var (protocol, old, udp) = BindProtocol(c.Protocol);
        var spi = Spi(c.Spi, protocol);
        var ext = Extensions(c.Extensions, old);
        var pairs = Pairs(c.Options, c.Source.Address, c.Destination.Address);
        if (c.Operation is SaOperation.Delete or SaOperation.Get && pairs.Count > 1)
            throw SetkeyScriptException.At(c.Source.Address, "multiple address specified", "one source and one destination address");

        var commands = new List<KernelCommand>(pairs.Count);
        foreach (var (src, dst) in pairs)
        {
            SaId id;
            try
            {
                id = new SaId(src, dst, protocol, spi);
            }
            catch (ArgumentException e)
            {
                throw SetkeyScriptException.At(c.Spi, e.Message, "an SPI (a CPI of at most 16 bits for ipcomp)");
            }

            switch (c.Operation)
            {
                case SaOperation.Get:
                    commands.Add(new GetSaCommand(c.Position, id));
                    break;
                case SaOperation.Delete:
                    commands.Add(new DeleteSaCommand(c.Position, id));
                    break;
                case SaOperation.GetSpi:
                    commands.Add(new GetSpiCommand(c.Position, new SpiRequest(
                        src, dst, protocol, spi == 0 ? null : new SpiRange(spi, spi), ext.ReqId,
                        ext.Mode is IpsecMode.Any ? IpsecMode.Transport : ext.Mode)));
                    break;
                default:
                    commands.Add(new AddSaCommand(c.Position, BuildSa(c, id, udp, ext), c.Operation == SaOperation.Update));
                    break;
            }
        }
        return commands;
    }

    private SecurityAssociation BuildSa(SaCommand c, SaId id, bool udp, SaExtensionValues ext)
    {
        var algorithms = c.Algorithms ?? throw SetkeyScriptException.At(c.Spi, "syntax error", "-E, -A or -C with an algorithm");
        NatTraversal? natt = null;
        if (udp)
        {
            var oa = c.Protocol.NatOriginalAddress is { } oaWord ? SingleAddress(oaWord, c.Options) : null;
            var sport = c.Source.Port is null ? DefaultNatTPort : Port(c.Source.Port);
            var dport = c.Destination.Port is null ? DefaultNatTPort : Port(c.Destination.Port);
            natt = new NatTraversal(EncapsulationType.EspInUdp, sport == 0 ? DefaultNatTPort : sport, dport == 0 ? DefaultNatTPort : dport, oa);
        }

        var (encryption, aead) = Encryption(algorithms.Encryption, c.Protocol);
        var authentication = Authentication(algorithms.Authentication);
        var compression = Compression(algorithms.Compression);
        CheckAlgorithmsFitProtocol(c, id.Protocol, algorithms);

        try
        {
            var sa = new SecurityAssociation(id)
            {
                Mode = ext.Mode,
                ReqId = ext.ReqId,
                ReplayWindow = ext.Replay,
                Encryption = encryption,
                Aead = aead,
                Authentication = authentication,
                Compression = compression,
                Lifetime = ext.Lifetime,
                NatTraversal = natt,
                SecurityContext = ext.Context,
            };
            sa.Validate();
            return sa;
        }
        catch (ArgumentException e)
        {
            throw SetkeyScriptException.At(c.Keyword, e.Message);
        }
    }

    private static void CheckAlgorithmsFitProtocol(SaCommand c, IpsecProtocol protocol, AlgorithmSpec algorithms)
    {
        switch (protocol)
        {
            case IpsecProtocol.Esp when algorithms.Encryption is null:
                throw SetkeyScriptException.At(algorithms.Authentication?.Option ?? algorithms.Compression!.Option,
                    "algorithm mismatched", "-E (esp needs an encryption algorithm; use -E null for authentication only)");
            case IpsecProtocol.Esp when algorithms.Compression is not null:
            case IpsecProtocol.Ah when algorithms.Encryption is not null || algorithms.Compression is not null:
                var wrong = (algorithms.Compression ?? algorithms.Encryption)!.Option;
                throw SetkeyScriptException.At(wrong, "algorithm mismatched", protocol == IpsecProtocol.Ah ? "-A (ah carries only authentication)" : "-E [-A] for esp");
            case IpsecProtocol.Ah when algorithms.Authentication is null:
                throw SetkeyScriptException.At(c.Protocol.Name, "algorithm mismatched", "-A with an authentication algorithm for ah");
            case IpsecProtocol.IpComp when algorithms.Compression is null:
                throw SetkeyScriptException.At((algorithms.Encryption ?? algorithms.Authentication)!.Option, "algorithm mismatched", "-C deflate (ipcomp takes a compression algorithm)");
        }
    }

    private (SaAlgorithm? Encryption, SaAlgorithm? Aead) Encryption(AlgorithmChoice? choice, ProtocolSpec protocol)
    {
        if (choice is null)
            return (null, null);
        var name = choice.Name.Text;
        var old = protocol.Name.Text.EndsWith("-old", StringComparison.Ordinal);
        switch (name)
        {
            case "simple":
                // KAME's obsolete spelling of the null cipher.
                name = "null";
                break;
            case "des-deriv" when old:
            case "des-32iv" when !old:
                throw SetkeyScriptException.At(choice.Name, "algorithm mismatched", name == "des-deriv" ? "des-deriv only without -old" : "des-32iv only with esp-old");
            case "des-deriv" or "des-32iv":
                name = "des-cbc";
                break;
        }

        var algorithm = FindAlgorithm(AlgorithmKind.Encryption, name) ?? FindAlgorithm(AlgorithmKind.Aead, name)
            ?? throw SetkeyScriptException.At(choice.Name, "syntax error", "an encryption algorithm: " + KnownNames(AlgorithmKind.Encryption, AlgorithmKind.Aead));
        var sa = KeyedAlgorithm(choice, algorithm, icvBits: algorithm.Kind == AlgorithmKind.Aead ? algorithm.IcvBits : null);
        return algorithm.Kind == AlgorithmKind.Aead ? (null, sa) : (sa, null);
    }

    private SaAlgorithm? Authentication(AlgorithmChoice? choice)
    {
        if (choice is null)
            return null;
        if (choice.Name.Text is "keyed-md5" or "keyed-sha1")
            throw SetkeyScriptException.At(choice.Name, "unsupported algorithm", "an HMAC: Linux has no keyed-md5/keyed-sha1");
        var algorithm = FindAlgorithm(AlgorithmKind.Authentication, choice.Name.Text)
            ?? throw SetkeyScriptException.At(choice.Name, "syntax error", "an authentication algorithm: " + KnownNames(AlgorithmKind.Authentication));

        // The truncation Linux's PF_KEY gives setkey's SAs (hmac-sha256: 96 bits), so an SA keyed by this
        // setkey interoperates with one keyed by the reference and `ip xfrm state` reads the same.
        return KeyedAlgorithm(choice, algorithm, algorithm.PfKeyIcvBits);
    }

    private SaAlgorithm? Compression(AlgorithmChoice? choice)
    {
        if (choice is null)
            return null;
        var algorithm = FindAlgorithm(AlgorithmKind.Compression, choice.Name.Text)
            ?? throw SetkeyScriptException.At(choice.Name, choice.Name.Text == "oui" ? "unsupported algorithm" : "syntax error",
                "a compression algorithm: " + KnownNames(AlgorithmKind.Compression));
        return SaAlgorithm.WithoutKey(algorithm);
    }

    private static SaAlgorithm KeyedAlgorithm(AlgorithmChoice choice, IpsecAlgorithm algorithm, int? icvBits)
    {
        var takesNoKey = algorithm.KeyLengths is { Max: 0 };
        if (takesNoKey)
        {
            if (choice.Key is { } extra)
                throw SetkeyScriptException.At(extra, "syntax error", $"`;' or the next option ({algorithm.Name} takes no key)");
            return new SaAlgorithm(algorithm, [], icvBits);
        }
        if (choice.Key is not { } keyWord)
            throw SetkeyScriptException.At(choice.Name, "syntax error", $"a key after {algorithm.Name} (\"text\" or 0x…)");
        var key = KeyBytes(keyWord);
        if (algorithm.KeyLengths is { } lengths && !lengths.Allows(key.Length * 8))
        {
            throw SetkeyScriptException.At(keyWord, "Invalid key length",
                $"a key of {lengths} bits for {algorithm.Name}; this one has {key.Length * 8}");
        }

        return new SaAlgorithm(algorithm, key, icvBits);
    }

    /// <summary>
    /// <see cref="AlgorithmRegistry.Find"/>, remembered per name: a script names the same few
    /// algorithms in thousands of statements, and the registry searches its whole table each time.
    /// </summary>
    private IpsecAlgorithm? FindAlgorithm(AlgorithmKind kind, string name)
    {
        if (!algorithmsByName.TryGetValue((kind, name), out var algorithm))
            algorithmsByName[(kind, name)] = algorithm = AlgorithmRegistry.Find(kind, name);
        return algorithm;
    }

    /// <summary><c>"text"</c> is its bytes; <c>0x…</c> is hex, an odd digit count giving a leading nibble.</summary>
    public static byte[] KeyBytes(Lexeme key)
    {
        var text = key.Text;
        if (text.StartsWith('"'))
            return Encoding.UTF8.GetBytes(text[1..^1]);
        var hex = text.AsSpan(2);
        return hex.Length % 2 == 1 ? Convert.FromHexString("0" + hex.ToString()) : Convert.FromHexString(hex);
    }

    private static string KnownNames(params AlgorithmKind[] kinds) => string.Join(", ",
        AlgorithmRegistry.All.Where(a => kinds.Contains(a.Kind)).SelectMany(a => a.Aliases.Prepend(a.Name)).Distinct());

    private static uint Spi(Lexeme word, IpsecProtocol protocol)
    {
        ulong value;
        if (SetkeyLexicon.IsHex(word.Text))
        {
            var digits = word.Text[2..].TrimStart('0');
            if (digits.Length > 8 || !ulong.TryParse(digits.Length == 0 ? "0" : digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value))
                throw SetkeyScriptException.At(word, "SPI too big.", "an SPI of at most 32 bits");
        }
        else if (!ulong.TryParse(word.Text, NumberStyles.None, CultureInfo.InvariantCulture, out value) || value > uint.MaxValue)
        {
            throw SetkeyScriptException.At(word, "SPI too big.", "an SPI of at most 32 bits");
        }
        if (protocol == IpsecProtocol.IpComp && value > ushort.MaxValue)
            throw SetkeyScriptException.At(word, "CPI too big.", "an IPComp CPI of at most 16 bits");
        return (uint)value;
    }

    private sealed record SaExtensionValues(IpsecMode Mode, uint ReqId, uint Replay, Lifetime Lifetime, SecurityContext? Context)
    {
        /// <summary>An SA without extensions (most of them).</summary>
        public static SaExtensionValues None { get; } = new(IpsecMode.Any, 0, 0, Lifetime.Unlimited, null);
    }

    /// <summary>-m -r -u -f -lh -ls -bh -bs -ctx, in any order, the last of each winning.</summary>
    private static SaExtensionValues Extensions(IReadOnlyList<SaExtension> extensions, bool old)
    {
        if (extensions.Count == 0)
            return SaExtensionValues.None;
        var mode = IpsecMode.Any;
        uint reqId = 0, replay = 0;
        ulong hardTime = 0, softTime = 0, hardBytes = 0, softBytes = 0;
        SecurityContext? context = null;
        Lexeme? lifetimeWord = null;
        foreach (var e in extensions)
        {
            var v = e.Values;
            switch (e.Option.Text)
            {
                case "-m":
                    mode = v[0].Text switch { "transport" => IpsecMode.Transport, "tunnel" => IpsecMode.Tunnel, _ => IpsecMode.Any };
                    break;
                case "-r":
                    if (old)
                        throw SetkeyScriptException.At(e.Option, "replay prevention cannot be used with ah/esp-old");
                    replay = (uint)Math.Min(Number(v[0], uint.MaxValue, "replay window"), MaxReplayWindow);
                    break;
                case "-u":
                    reqId = (uint)Number(v[0], uint.MaxValue, "reqid");
                    break;
                case "-f":
                    // Padding and sequence flags are KAME's; Linux ignores them (af_key maps none of them).
                    break;
                case "-lh":
                    hardTime = Number(v[0], ulong.MaxValue, "lifetime");
                    lifetimeWord = e.Option;
                    break;
                case "-ls":
                    softTime = Number(v[0], ulong.MaxValue, "lifetime");
                    lifetimeWord = e.Option;
                    break;
                case "-bh":
                    hardBytes = Number(v[0], ulong.MaxValue, "byte lifetime");
                    lifetimeWord = e.Option;
                    break;
                case "-bs":
                    softBytes = Number(v[0], ulong.MaxValue, "byte lifetime");
                    lifetimeWord = e.Option;
                    break;
                case "-ctx":
                    context = Context(e.Option, v[0], v[1], v[2]);
                    break;
            }
        }

        try
        {
            var lifetime = new Lifetime(
                soft: new LifetimeLimits(Bytes: softBytes, AddSeconds: softTime),
                hard: new LifetimeLimits(Bytes: hardBytes, AddSeconds: hardTime));
            return new SaExtensionValues(mode, reqId, replay, lifetime, context);
        }
        catch (ArgumentException ex)
        {
            throw SetkeyScriptException.At(lifetimeWord!, ex.Message, "a soft limit (-ls/-bs) no larger than the hard one (-lh/-bh)");
        }
    }

    private static SecurityContext Context(Lexeme option, Lexeme doi, Lexeme algorithm, Lexeme text)
    {
        var d = (byte)Number(doi, byte.MaxValue, "security context doi");
        var a = (byte)Number(algorithm, byte.MaxValue, "security context algorithm");
        try
        {
            return new SecurityContext(d, a, text.Text[1..^1]);
        }
        catch (ArgumentException e)
        {
            throw SetkeyScriptException.At(text, e.Message, $"a label after {option.Text}");
        }
    }
}
