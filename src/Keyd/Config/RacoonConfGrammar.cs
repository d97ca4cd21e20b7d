using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Wire;
using Sprache;

namespace KernelIpsec.Keyd.Config;

/// <summary>
/// racoon.conf's grammar (cfparse.y) as Sprache parsers for one file. Each top-level statement parses
/// to an action on a <see cref="ConfigBuilder"/>, applied in file order by <see cref="RacoonConfLoader"/>;
/// semantic checks that need earlier statements (inherit, duplicates) happen when applied.
/// </summary>
internal sealed partial class RacoonConfGrammar
{
    private readonly ConfTokens t;

    public RacoonConfGrammar(string file)
    {
        t = new ConfTokens(file);
        Statement = t.Dispatch("the top level", TopLevel());
    }

    /// <summary>One top-level statement.</summary>
    public Parser<Action<ConfigBuilder>> Statement { get; }

    /// <summary>The directives read since the last call (for <see cref="DirectiveSupport"/>), in the order written.</summary>
    public IReadOnlyList<DirectiveUse> TakeWritten() => t.TakeWritten();

    private static Parser<Action<ConfigBuilder>> Done(Action<ConfigBuilder> action) => Parse.Return(action);

    private Parser<T2> Then<T1, T2>(Parser<T1> first, Func<T1, T2> map) =>
        from v in first from _ in t.EndOfStatement select map(v);

    private Dictionary<string, Func<SourceLocation, Parser<Action<ConfigBuilder>>>> TopLevel() => new()
    {
        ["path"] = at => PathStatement(at),
        ["include"] = at => Then(t.QuotedString, glob => (Action<ConfigBuilder>)(b => b.Include(glob, at))),
        ["log"] = at => Then(t.Choice("a log level (error, warning, notify, info, debug, debug2)", LogLevels), level => (Action<ConfigBuilder>)(b => b.LogLevel = level)),
        ["pfkey_buffer"] = at => Then(t.NumberIn(0, int.MaxValue, "pfkey_buffer"), kib => (Action<ConfigBuilder>)(b => b.PfKeyBufferKiB = kib)),
        ["gss_id_enc"] = at => Then(t.Choice("'latin1' or 'utf-16le'", new Dictionary<string, string> { ["latin1"] = "latin1", ["utf-16le"] = "utf-16le" }), enc => (Action<ConfigBuilder>)(b => b.GssIdEncoding = enc)),
        ["complex_bundle"] = at => Then(t.Switch, on => (Action<ConfigBuilder>)(b => b.ComplexBundle = on)),
        ["privsep"] = at => Privsep(),
        ["padding"] = at => Padding(),
        ["listen"] = at => Listen(),
        ["timer"] = at => Timer(),
        ["mode_cfg"] = at => ModeCfg(at),
        ["ldapcfg"] = at => Ignored(Ldap()),
        ["radiuscfg"] = at => Ignored(Radius()),
        ["remote"] = at => Remote(at),
        ["sainfo"] = at => Sainfo(at),
        ["kernel"] = at => Then(t.Choice($"a kernel interface ({KernelChoice.NameList})", KernelChoice.Names), kernel => (Action<ConfigBuilder>)(b => b.Kernel = new KernelChoice(kernel, at.ToString()))),
    };

    private static readonly Dictionary<string, RacoonLogLevel> LogLevels = new()
    {
        ["error"] = RacoonLogLevel.Error,
        ["warning"] = RacoonLogLevel.Warning,
        ["notify"] = RacoonLogLevel.Notify,
        ["info"] = RacoonLogLevel.Info,
        ["debug"] = RacoonLogLevel.Debug,
        ["debug2"] = RacoonLogLevel.Debug2,
    };

    private Parser<Action<ConfigBuilder>> PathStatement(SourceLocation at) =>
        from kind in t.Choice("a path type (include, pre_shared_key, certificate, script, backupsa, pidfile)",
            new Dictionary<string, string> { ["include"] = "include", ["pre_shared_key"] = "pre_shared_key", ["certificate"] = "certificate", ["script"] = "script", ["backupsa"] = "backupsa", ["pidfile"] = "pidfile" })
        from valueAt in t.Here
        from value in t.QuotedString
        from _ in t.EndOfStatement
        select (Action<ConfigBuilder>)(b => b.Paths = kind switch
        {
            "include" => b.Paths with { Include = value },
            "pre_shared_key" => b.Paths with { PreSharedKey = value, PreSharedKeyLocation = valueAt },
            "certificate" => b.Paths with { Certificate = value },
            "script" => b.Paths with { Script = value },
            "backupsa" => b.Paths with { BackupSa = value },
            _ => b.Paths with { PidFile = value.StartsWith('/') ? value : "/var/run/" + value },
        });

    /// <summary>A section read only to be skipped; <see cref="DirectiveSupport"/> says so where it is written.</summary>
    private static Parser<Action<ConfigBuilder>> Ignored<TIgnored>(Parser<TIgnored> body) =>
        from _ in body
        select (Action<ConfigBuilder>)(b => { });

    // ---- privsep, padding, listen, timer ------------------------------------------------------

    private Parser<Action<ConfigBuilder>> Privsep() =>
        from items in t.Block(t.Dispatch("privsep section", new Dictionary<string, Func<SourceLocation, Parser<Func<PrivsepConfig, PrivsepConfig>>>>
        {
            ["user"] = at => Then(UserOrGroup(), v => (Func<PrivsepConfig, PrivsepConfig>)(p => p with { User = v })),
            ["group"] = at => Then(UserOrGroup(), v => (Func<PrivsepConfig, PrivsepConfig>)(p => p with { Group = v })),
            ["chroot"] = at => Then(t.QuotedString, v => (Func<PrivsepConfig, PrivsepConfig>)(p => p with { Chroot = v })),
        }))
        select (Action<ConfigBuilder>)(b => b.Privsep = items.Aggregate(b.Privsep ?? new PrivsepConfig(null, null, null), (p, f) => f(p)));

    private Parser<string> UserOrGroup() =>
        t.QuotedString.OrElse(t.Number.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private Parser<Action<ConfigBuilder>> Padding() =>
        from items in t.Block(t.Dispatch("padding section", new Dictionary<string, Func<SourceLocation, Parser<Func<PaddingConfig, PaddingConfig>>>>
        {
            ["randomize"] = at => Then(t.Switch, v => (Func<PaddingConfig, PaddingConfig>)(p => p with { Randomize = v })),
            ["randomize_length"] = at => Then(t.Switch, v => (Func<PaddingConfig, PaddingConfig>)(p => p with { RandomizeLength = v })),
            ["maximum_length"] = at => Then(t.NumberIn(0, 255, "maximum_length"), v => (Func<PaddingConfig, PaddingConfig>)(p => p with { MaximumLength = v })),
            ["exclusive_tail"] = at => Then(t.Switch, v => (Func<PaddingConfig, PaddingConfig>)(p => p with { ExclusiveTail = v })),
            ["strict_check"] = at => Then(t.Switch, v => (Func<PaddingConfig, PaddingConfig>)(p => p with { StrictCheck = v })),
        }))
        select (Action<ConfigBuilder>)(b => b.Padding = items.Aggregate(b.Padding, (p, f) => f(p)));

    private Parser<Action<ConfigBuilder>> Listen() =>
        from items in t.Block(t.Dispatch("listen section", new Dictionary<string, Func<SourceLocation, Parser<Func<ListenConfig, ListenConfig>>>>
        {
            ["isakmp"] = at => Then(AddressAndPort(), a => (Func<ListenConfig, ListenConfig>)(l => l with { Addresses = [.. l.Addresses, new ListenAddress(a.Address!, a.Port, false)] })),
            ["isakmp_natt"] = at => Then(AddressAndPort(), a => (Func<ListenConfig, ListenConfig>)(l => l with { Addresses = [.. l.Addresses, new ListenAddress(a.Address!, a.Port, true)] })),
            ["adminsock"] = at => AdminSock(),
            ["strict_address"] = at => t.EndOfStatement.Return((Func<ListenConfig, ListenConfig>)(l => l with { StrictAddress = true })),
        }))
        select (Action<ConfigBuilder>)(b => b.Listen = items.Aggregate(b.Listen, (l, f) => f(l)));

    /// <summary>`ADDR [port]`; the port defaults to 500 (also for isakmp_natt, as racoon).</summary>
    private Parser<RemoteIndex> AddressAndPort() =>
        from address in t.Address
        from port in t.Port.Opt()
        select new RemoteIndex(address, port.Has ? port.Value : 500);

    private Parser<Func<ListenConfig, ListenConfig>> AdminSock() =>
        (from _ in t.Keyword("disabled")
         from end in t.EndOfStatement
         select (Func<ListenConfig, ListenConfig>)(l => l with { AdminSocket = l.AdminSocket with { Disabled = true } }))
        .OrElse(from path in t.QuotedString
                from owner in (from o in t.QuotedString
                               from g in t.QuotedString
                               from m in t.Word("a file mode such as 0660").Check(w => w.All(c => c is >= '0' and <= '7') && w.Length <= 4 ? null : $"'{w}' is not a file mode (octal digits, e.g. 0660)")
                               select (Owner: o, Group: g, Mode: Convert.ToInt32(m, 8))).Optional()
                from end in t.EndOfStatement
                select (Func<ListenConfig, ListenConfig>)(l => l with
                {
                    AdminSocket = owner.IsDefined
                        ? l.AdminSocket with { Path = path, Owner = owner.Get().Owner, Group = owner.Get().Group, Mode = owner.Get().Mode, Disabled = false }
                        : l.AdminSocket with { Path = path, Disabled = false },
                }));

    private Parser<Action<ConfigBuilder>> Timer() =>
        from items in t.Block(t.Dispatch("timer section", new Dictionary<string, Func<SourceLocation, Parser<Func<TimerConfig, TimerConfig>>>>
        {
            ["counter"] = at => Then(t.NumberIn(0, int.MaxValue, "counter"), v => (Func<TimerConfig, TimerConfig>)(t => t with { Counter = v })),
            ["interval"] = at => Then(t.Duration, v => (Func<TimerConfig, TimerConfig>)(t => t with { Interval = v })),
            ["persend"] = at => Then(t.NumberIn(0, int.MaxValue, "persend"), v => (Func<TimerConfig, TimerConfig>)(t => t with { PerSend = v })),
            ["phase1"] = at => Then(t.Duration, v => (Func<TimerConfig, TimerConfig>)(t => t with { Phase1 = v })),
            ["phase2"] = at => Then(t.Duration, v => (Func<TimerConfig, TimerConfig>)(t => t with { Phase2 = v })),
            ["natt_keepalive"] = at => Then(t.Duration, v => (Func<TimerConfig, TimerConfig>)(t => t with { NattKeepalive = v })),
        }))
        select (Action<ConfigBuilder>)(b => b.Timers = items.Aggregate(b.Timers, (t, f) => f(t)));

    // ---- mode_cfg, ldapcfg, radiuscfg --------------------------------------------------------

    private Parser<Action<ConfigBuilder>> ModeCfg(SourceLocation at)
    {
        // radius and ldap parse here; DirectiveSupport refuses them with where they stand.
        Parser<Func<ModeConfigServer, ModeConfigServer>> Source(string what, string[] values, Func<ModeConfigServer, string, ModeConfigServer> set) =>
            Then(t.Choice(what, values.ToDictionary(v => v)), v => (Func<ModeConfigServer, ModeConfigServer>)(m => set(m, v)));

        var splitNet =
            from net in t.Address
            from plen in (Parser<int>)(i => t.Prefix(ConfTokens.SkipBlanks(i)))
            select (net, plen);

        return from items in t.Block(t.Dispatch("mode_cfg section", new Dictionary<string, Func<SourceLocation, Parser<Func<ModeConfigServer, ModeConfigServer>>>>
        {
            ["network4"] = a => Then(t.Address, v => (Func<ModeConfigServer, ModeConfigServer>)(m => m with { Network4 = v })),
            ["netmask4"] = a => Then(t.Address, v => (Func<ModeConfigServer, ModeConfigServer>)(m => m with { Netmask4 = v })),
            ["dns4"] = a => Then(t.CommaList(t.Address), v => (Func<ModeConfigServer, ModeConfigServer>)(m => m with { Dns4 = [.. m.Dns4, .. v] })),
            ["wins4"] = a => Then(t.CommaList(t.Address), v => (Func<ModeConfigServer, ModeConfigServer>)(m => m with { Wins4 = [.. m.Wins4, .. v] })),
            ["nbns4"] = a => Then(t.CommaList(t.Address), v => (Func<ModeConfigServer, ModeConfigServer>)(m => m with { Wins4 = [.. m.Wins4, .. v] })),
            ["split_network"] = a =>
                from kind in t.Choice("'include' or 'local_lan'", new Dictionary<string, bool> { ["include"] = false, ["local_lan"] = true })
                from nets in t.CommaList(splitNet)
                from _ in t.EndOfStatement
                select (Func<ModeConfigServer, ModeConfigServer>)(m => m with { SplitNetworks = [.. m.SplitNetworks, .. nets.Select(n => new SplitNetwork(kind, n.net, n.plen))] }),
            ["split_dns"] = a => Then(t.CommaList(t.QuotedString), v => (Func<ModeConfigServer, ModeConfigServer>)(m => m with { SplitDns = [.. m.SplitDns, .. v] })),
            ["default_domain"] = a => Then(t.QuotedString, v => (Func<ModeConfigServer, ModeConfigServer>)(m => m with { DefaultDomain = v })),
            ["auth_source"] = a => Source("'system', 'radius', 'pam' or 'ldap'", ["system", "radius", "pam", "ldap"], (m, v) => m with { AuthSource = v }),
            ["auth_groups"] = a => Then(t.CommaList(t.QuotedString), v => (Func<ModeConfigServer, ModeConfigServer>)(m => m with { AuthGroups = [.. m.AuthGroups, .. v] })),
            ["group_source"] = a => Source("'system' or 'ldap'", ["system", "ldap"], (m, v) => m with { GroupSource = v }),
            ["conf_source"] = a => Source("'local', 'radius' or 'ldap'", ["local", "radius", "ldap"], (m, v) => m with { ConfSource = v }),
            ["accounting"] = a => Source("'none', 'system', 'radius' or 'pam'", ["none", "system", "radius", "pam"], (m, v) => m with { Accounting = v }),
            ["pool_size"] = a => Then(t.NumberIn(1, 65535, "pool_size"), v => (Func<ModeConfigServer, ModeConfigServer>)(m => m with { PoolSize = v })),
            ["pfs_group"] = a => Then(DhGroupValue(), v => (Func<ModeConfigServer, ModeConfigServer>)(m => m with { PfsGroup = v })),
            ["save_passwd"] = a => Then(t.Switch, v => (Func<ModeConfigServer, ModeConfigServer>)(m => m with { SavePassword = v })),
            ["auth_throttle"] = a => Then(t.Number, v => (Func<ModeConfigServer, ModeConfigServer>)(m => m with { AuthThrottle = TimeSpan.FromSeconds(v) })),
            ["banner"] = a => Then(t.QuotedString, v => (Func<ModeConfigServer, ModeConfigServer>)(m => m with { Banner = v })),
        }))
               select (Action<ConfigBuilder>)(b => b.ModeConfig = items.Aggregate(b.ModeConfig ?? new ModeConfigServer(), (m, f) => f(m)));
    }

    private Parser<List<bool>> Ldap()
    {
        Parser<bool> Str(SourceLocation a) => Then(t.QuotedString, _ => true);
        Parser<bool> Num(SourceLocation a) => Then(t.Number, _ => true);
        return t.Block(t.Dispatch("ldapcfg section", new Dictionary<string, Func<SourceLocation, Parser<bool>>>
        {
            ["version"] = Num,
            ["debug"] = Num,
            ["timeout"] = Num,
            ["port"] = Num,
            ["uri"] = Str,
            ["host"] = Str,
            ["base"] = Str,
            ["bind_dn"] = Str,
            ["bind_pw"] = Str,
            ["attr_user"] = Str,
            ["attr_addr"] = Str,
            ["attr_mask"] = Str,
            ["attr_group"] = Str,
            ["attr_member"] = Str,
            ["subtree"] = a => Then(t.Switch, _ => true),
        }));
    }

    private Parser<List<bool>> Radius()
    {
        Parser<bool> Server(SourceLocation a) =>
            from host in t.QuotedString
            from port in t.Number.Optional()
            from secret in t.QuotedString
            from _ in t.EndOfStatement
            select true;
        return t.Block(t.Dispatch("radiuscfg section", new Dictionary<string, Func<SourceLocation, Parser<bool>>>
        {
            ["auth"] = Server,
            ["acct"] = Server,
            ["timeout"] = a => Then(t.Number, _ => true),
            ["retries"] = a => Then(t.Number, _ => true),
        }));
    }

    // ---- shared values ----------------------------------------------------------------------

    private Parser<DhGroupId> DhGroupValue() =>
        t.Choice("a DH group (modp768, modp1024, modp1536, modp2048, modp3072, modp4096, modp6144, modp8192 or 1, 2, 5, 14-18)", AlgorithmNames.DhGroups);

    /// <summary>`lifetime time N unit;` (a `byte` lifetime is an error, as in racoon).</summary>
    private Parser<TimeSpan> Lifetime(string byteError) =>
        (from _ in t.Keyword("time")
         from d in t.Duration
         from end in t.EndOfStatement
         select d)
        .OrElse(input =>
        {
            var at = ConfTokens.SkipBlanks(input);
            var r = (from _ in t.Keyword("byte") from n in t.ByteCount select n)(input);
            return r.WasSuccessful ? ConfTokens.Fail<TimeSpan>(at, byteError) : Result.Failure<TimeSpan>(r.Remainder, r.Message, r.Expectations);
        });

    /// <summary>An optional key length after a cipher name, checked against the cipher's rule where it is written.</summary>
    private Parser<int?> KeyLength((int Min, int Max, int Step)? rule) => input =>
    {
        var at = ConfTokens.SkipBlanks(input);
        var r = t.Number(input);
        if (!r.WasSuccessful)
            return Result.Success<int?>(null, input);
        var problem = KeyLengthProblem(r.Value, rule);
        return problem is null ? Result.Success<int?>((int)r.Value, r.Remainder) : ConfTokens.Fail<int?>(at, problem);
    };

    private static string? KeyLengthProblem(long k, (int Min, int Max, int Step)? rule) =>
        rule is not { } r ? "keylen not allowed: this cipher has a fixed key length"
        : k < r.Min || k > r.Max || k % r.Step != 0 ? $"invalid keylen {k}: must be {r.Min} to {r.Max} in steps of {r.Step}"
        : null;

    /// <summary>identifier value: nothing, an address, or a quoted string.</summary>
    private Parser<string?> IdentifierValue() =>
        t.QuotedString.Select(s => (string?)s)
            .OrElse(t.Address.Select(a => (string?)a.ToString()))
            .Optional().Select(o => o.GetOrDefault());

    private static readonly Dictionary<string, IdentifierType> IdentifierTypes = new()
    {
        ["address"] = IdentifierType.Address,
        ["fqdn"] = IdentifierType.Fqdn,
        ["user_fqdn"] = IdentifierType.UserFqdn,
        ["keyid"] = IdentifierType.KeyIdFile,
        ["asn1dn"] = IdentifierType.Asn1Dn,
        ["subnet"] = IdentifierType.Subnet,
    };

    /// <summary>`idtype [file|tag] [value]` as used by my_identifier, peers_identifier and sainfo `from`.</summary>
    private Parser<IdentifierConfig> Identifier() => input =>
    {
        var typeAt = ConfTokens.SkipBlanks(input);
        var type = t.Choice("an identifier type (address, fqdn, user_fqdn, keyid, asn1dn)", IdentifierTypes)(input);
        if (!type.WasSuccessful)
            return Result.Failure<IdentifierConfig>(type.Remainder, type.Message, type.Expectations);
        var rest = type.Remainder;
        var kind = type.Value;
        var qualifierAt = ConfTokens.SkipBlanks(rest);
        var qualifier = t.Choice("", new Dictionary<string, string> { ["tag"] = "tag", ["file"] = "file" })(rest);
        if (qualifier.WasSuccessful)
        {
            if (kind != IdentifierType.KeyIdFile)
                return ConfTokens.Fail<IdentifierConfig>(qualifierAt, $"the qualifier '{qualifier.Value}' is only valid after keyid");
            kind = qualifier.Value == "tag" ? IdentifierType.KeyIdTag : IdentifierType.KeyIdFile;
            rest = qualifier.Remainder;
        }
        var valueAt = ConfTokens.SkipBlanks(rest);
        var value = IdentifierValue()(rest);
        var text = value.Value;
        string? problem = kind switch
        {
            IdentifierType.Fqdn or IdentifierType.UserFqdn or IdentifierType.KeyIdFile or IdentifierType.KeyIdTag when text is null
                => $"{IdentifierTypes.First(p => p.Value == type.Value).Key} needs a quoted value",
            IdentifierType.Address when text is not null && !IPAddress.TryParse(text, out _)
                => $"'{text}' is not an IP address",
            _ => null,
        };
        if (problem is not null)
            return ConfTokens.Fail<IdentifierConfig>(text is null ? typeAt : valueAt, problem);
        return Result.Success(new IdentifierConfig(kind, text), value.Remainder);
    };
}
