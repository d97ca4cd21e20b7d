using KernelIpsec.Ike.Wire;
using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Keyd.Cli;
using Sprache;

namespace KernelIpsec.Keyd.Config;

/// <summary>
/// racoon.conf's grammar (cfparse.y) as Sprache parsers for one file. Each top-level statement parses
/// to an action on a <see cref="ConfigBuilder"/>, applied in file order by <see cref="RacoonConfLoader"/>;
/// semantic checks that need earlier statements (inherit, duplicates) happen when applied.
/// </summary>
internal sealed class RacoonConfGrammar
{
    private readonly ConfTokens T;

    public RacoonConfGrammar(string file)
    {
        T = new ConfTokens(file);
        Statement = T.Dispatch("the top level", TopLevel());
    }

    /// <summary>One top-level statement.</summary>
    public Parser<Action<ConfigBuilder>> Statement { get; }

    private static Parser<Action<ConfigBuilder>> Done(Action<ConfigBuilder> action) => Parse.Return(action);

    private Parser<T2> Then<T1, T2>(Parser<T1> first, Func<T1, T2> map) =>
        from v in first from _ in T.EndOfStatement select map(v);

    private Dictionary<string, Func<SourceLocation, Parser<Action<ConfigBuilder>>>> TopLevel() => new()
    {
        ["path"] = at => PathStatement(at),
        ["include"] = at => Then(T.QuotedString, glob => (Action<ConfigBuilder>)(b => b.Include(glob, at))),
        ["log"] = at => Then(T.Choice("a log level (error, warning, notify, info, debug, debug2)", LogLevels), level => (Action<ConfigBuilder>)(b => b.LogLevel = level)),
        ["pfkey_buffer"] = at => Then(T.NumberIn(0, int.MaxValue, "pfkey_buffer"), kib => (Action<ConfigBuilder>)(b => b.PfKeyBufferKiB = kib)),
        ["gss_id_enc"] = at => Then(T.Choice("'latin1' or 'utf-16le'", new Dictionary<string, string> { ["latin1"] = "latin1", ["utf-16le"] = "utf-16le" }), enc => (Action<ConfigBuilder>)(b => b.GssIdEncoding = enc)),
        ["complex_bundle"] = at => Then(T.Switch, on => (Action<ConfigBuilder>)(b => b.ComplexBundle = on)),
        ["privsep"] = at => Privsep(),
        ["padding"] = at => Padding(),
        ["listen"] = at => Listen(),
        ["timer"] = at => Timer(),
        ["mode_cfg"] = at => ModeCfg(at),
        ["ldapcfg"] = at => Unsupported(at, "ldapcfg", Ldap()),
        ["radiuscfg"] = at => Unsupported(at, "radiuscfg", Radius()),
        ["remote"] = at => Remote(at),
        ["sainfo"] = at => Sainfo(at),
        ["kernel"] = at => Then(T.Choice("a kernel interface (xfrm or pfkey)", KernelNames), kernel => (Action<ConfigBuilder>)(b => b.Kernel = new KernelChoice(kernel, at.ToString()))),
    };

    /// <summary>`kernel xfrm|pfkey;`: KernelIpsec's extension choosing the kernel interface (ipsec-tools has no such statement).</summary>
    private static readonly Dictionary<string, KernelInterface> KernelNames = new()
    {
        ["xfrm"] = KernelInterface.Xfrm,
        ["pfkey"] = KernelInterface.PfKey,
    };

    private static readonly Dictionary<string, RacoonLogLevel> LogLevels = new()
    {
        ["error"] = RacoonLogLevel.Error, ["warning"] = RacoonLogLevel.Warning, ["notify"] = RacoonLogLevel.Notify,
        ["info"] = RacoonLogLevel.Info, ["debug"] = RacoonLogLevel.Debug, ["debug2"] = RacoonLogLevel.Debug2,
    };

    private Parser<Action<ConfigBuilder>> PathStatement(SourceLocation at) =>
        from kind in T.Choice("a path type (include, pre_shared_key, certificate, script, backupsa, pidfile)",
            new Dictionary<string, string> { ["include"] = "include", ["pre_shared_key"] = "pre_shared_key", ["certificate"] = "certificate", ["script"] = "script", ["backupsa"] = "backupsa", ["pidfile"] = "pidfile" })
        from valueAt in T.Here
        from value in T.QuotedString
        from _ in T.EndOfStatement
        select (Action<ConfigBuilder>)(b => b.Paths = kind switch
        {
            "include" => b.Paths with { Include = value },
            "pre_shared_key" => b.Paths with { PreSharedKey = value, PreSharedKeyLocation = valueAt },
            "certificate" => b.Paths with { Certificate = value },
            "script" => b.Paths with { Script = value },
            "backupsa" => b.Paths with { BackupSa = value },
            _ => b.Paths with { PidFile = value.StartsWith('/') ? value : "/var/run/" + value },
        });

    private Parser<Action<ConfigBuilder>> Unsupported<TIgnored>(SourceLocation at, string what, Parser<TIgnored> body) =>
        from _ in body
        select (Action<ConfigBuilder>)(b => b.Warn(at, $"{what} is read but not supported by KernelIpsec (no LDAP/RADIUS back end); the section is ignored"));

    // ---- privsep, padding, listen, timer ------------------------------------------------------

    private Parser<Action<ConfigBuilder>> Privsep() =>
        from items in T.Block(T.Dispatch("privsep section", new Dictionary<string, Func<SourceLocation, Parser<Func<PrivsepConfig, PrivsepConfig>>>>
        {
            ["user"] = at => Then(UserOrGroup(), v => (Func<PrivsepConfig, PrivsepConfig>)(p => p with { User = v })),
            ["group"] = at => Then(UserOrGroup(), v => (Func<PrivsepConfig, PrivsepConfig>)(p => p with { Group = v })),
            ["chroot"] = at => Then(T.QuotedString, v => (Func<PrivsepConfig, PrivsepConfig>)(p => p with { Chroot = v })),
        }))
        select (Action<ConfigBuilder>)(b => b.Privsep = items.Aggregate(b.Privsep ?? new PrivsepConfig(null, null, null), (p, f) => f(p)));

    private Parser<string> UserOrGroup() =>
        T.QuotedString.OrElse(T.Number.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private Parser<Action<ConfigBuilder>> Padding() =>
        from items in T.Block(T.Dispatch("padding section", new Dictionary<string, Func<SourceLocation, Parser<Func<PaddingConfig, PaddingConfig>>>>
        {
            ["randomize"] = at => Then(T.Switch, v => (Func<PaddingConfig, PaddingConfig>)(p => p with { Randomize = v })),
            ["randomize_length"] = at => Then(T.Switch, v => (Func<PaddingConfig, PaddingConfig>)(p => p with { RandomizeLength = v })),
            ["maximum_length"] = at => Then(T.NumberIn(0, 255, "maximum_length"), v => (Func<PaddingConfig, PaddingConfig>)(p => p with { MaximumLength = v })),
            ["exclusive_tail"] = at => Then(T.Switch, v => (Func<PaddingConfig, PaddingConfig>)(p => p with { ExclusiveTail = v })),
            ["strict_check"] = at => Then(T.Switch, v => (Func<PaddingConfig, PaddingConfig>)(p => p with { StrictCheck = v })),
        }))
        select (Action<ConfigBuilder>)(b => b.Padding = items.Aggregate(b.Padding, (p, f) => f(p)));

    private Parser<Action<ConfigBuilder>> Listen() =>
        from items in T.Block(T.Dispatch("listen section", new Dictionary<string, Func<SourceLocation, Parser<Func<ListenConfig, ListenConfig>>>>
        {
            ["isakmp"] = at => Then(AddressAndPort(), a => (Func<ListenConfig, ListenConfig>)(l => l with { Addresses = [.. l.Addresses, new ListenAddress(a.Address!, a.Port, false)] })),
            ["isakmp_natt"] = at => Then(AddressAndPort(), a => (Func<ListenConfig, ListenConfig>)(l => l with { Addresses = [.. l.Addresses, new ListenAddress(a.Address!, a.Port, true)] })),
            ["adminsock"] = at => AdminSock(),
            ["strict_address"] = at => T.EndOfStatement.Return((Func<ListenConfig, ListenConfig>)(l => l with { StrictAddress = true })),
        }))
        select (Action<ConfigBuilder>)(b => b.Listen = items.Aggregate(b.Listen, (l, f) => f(l)));

    /// <summary>`ADDR [port]`; the port defaults to 500 (also for isakmp_natt, as racoon).</summary>
    private Parser<RemoteIndex> AddressAndPort() =>
        from address in T.Address
        from port in T.Port.Opt()
        select new RemoteIndex(address, port.Has ? port.Value : 500);

    private Parser<Func<ListenConfig, ListenConfig>> AdminSock() =>
        (from _ in T.Keyword("disabled")
         from end in T.EndOfStatement
         select (Func<ListenConfig, ListenConfig>)(l => l with { AdminSocket = l.AdminSocket with { Disabled = true } }))
        .OrElse(from path in T.QuotedString
            from owner in (from o in T.QuotedString
                           from g in T.QuotedString
                           from m in T.Word("a file mode such as 0660").Check(w => w.All(c => c is >= '0' and <= '7') && w.Length <= 4 ? null : $"'{w}' is not a file mode (octal digits, e.g. 0660)")
                           select (Owner: o, Group: g, Mode: Convert.ToInt32(m, 8))).Optional()
            from end in T.EndOfStatement
            select (Func<ListenConfig, ListenConfig>)(l => l with
            {
                AdminSocket = owner.IsDefined
                    ? l.AdminSocket with { Path = path, Owner = owner.Get().Owner, Group = owner.Get().Group, Mode = owner.Get().Mode, Disabled = false }
                    : l.AdminSocket with { Path = path, Disabled = false },
            }));

    private Parser<Action<ConfigBuilder>> Timer() =>
        from items in T.Block(T.Dispatch("timer section", new Dictionary<string, Func<SourceLocation, Parser<Func<TimerConfig, TimerConfig>>>>
        {
            ["counter"] = at => Then(T.NumberIn(0, int.MaxValue, "counter"), v => (Func<TimerConfig, TimerConfig>)(t => t with { Counter = v })),
            ["interval"] = at => Then(T.Duration, v => (Func<TimerConfig, TimerConfig>)(t => t with { Interval = v })),
            ["persend"] = at => Then(T.NumberIn(0, int.MaxValue, "persend"), v => (Func<TimerConfig, TimerConfig>)(t => t with { PerSend = v })),
            ["phase1"] = at => Then(T.Duration, v => (Func<TimerConfig, TimerConfig>)(t => t with { Phase1 = v })),
            ["phase2"] = at => Then(T.Duration, v => (Func<TimerConfig, TimerConfig>)(t => t with { Phase2 = v })),
            ["natt_keepalive"] = at => Then(T.Duration, v => (Func<TimerConfig, TimerConfig>)(t => t with { NattKeepalive = v })),
        }))
        select (Action<ConfigBuilder>)(b => b.Timers = items.Aggregate(b.Timers, (t, f) => f(t)));

    // ---- mode_cfg, ldapcfg, radiuscfg --------------------------------------------------------

    private Parser<Action<ConfigBuilder>> ModeCfg(SourceLocation at)
    {
        Parser<Func<ModeConfigServer, ModeConfigServer>> Source(string what, string[] values, Func<ModeConfigServer, string, ModeConfigServer> set) =>
            Then(T.Choice(what, values.ToDictionary(v => v)), v => (Func<ModeConfigServer, ModeConfigServer>)(m => set(m, v)));

        var splitNet =
            from net in T.Address
            from plen in (Parser<int>)(i => T.Prefix(ConfTokens.SkipBlanks(i)))
            select (net, plen);

        return from items in T.Block(T.Dispatch("mode_cfg section", new Dictionary<string, Func<SourceLocation, Parser<Func<ModeConfigServer, ModeConfigServer>>>>
        {
            ["network4"] = a => Then(T.Address, v => (Func<ModeConfigServer, ModeConfigServer>)(m => m with { Network4 = v })),
            ["netmask4"] = a => Then(T.Address, v => (Func<ModeConfigServer, ModeConfigServer>)(m => m with { Netmask4 = v })),
            ["dns4"] = a => Then(T.CommaList(T.Address), v => (Func<ModeConfigServer, ModeConfigServer>)(m => m with { Dns4 = [.. m.Dns4, .. v] })),
            ["wins4"] = a => Then(T.CommaList(T.Address), v => (Func<ModeConfigServer, ModeConfigServer>)(m => m with { Wins4 = [.. m.Wins4, .. v] })),
            ["nbns4"] = a => Then(T.CommaList(T.Address), v => (Func<ModeConfigServer, ModeConfigServer>)(m => m with { Wins4 = [.. m.Wins4, .. v] })),
            ["split_network"] = a =>
                from kind in T.Choice("'include' or 'local_lan'", new Dictionary<string, bool> { ["include"] = false, ["local_lan"] = true })
                from nets in T.CommaList(splitNet)
                from _ in T.EndOfStatement
                select (Func<ModeConfigServer, ModeConfigServer>)(m => m with { SplitNetworks = [.. m.SplitNetworks, .. nets.Select(n => new SplitNetwork(kind, n.net, n.plen))] }),
            ["split_dns"] = a => Then(T.CommaList(T.QuotedString), v => (Func<ModeConfigServer, ModeConfigServer>)(m => m with { SplitDns = [.. m.SplitDns, .. v] })),
            ["default_domain"] = a => Then(T.QuotedString, v => (Func<ModeConfigServer, ModeConfigServer>)(m => m with { DefaultDomain = v })),
            ["auth_source"] = a => Source("'system', 'radius', 'pam' or 'ldap'", ["system", "radius", "pam", "ldap"], (m, v) => m with { AuthSource = v }),
            ["auth_groups"] = a => Then(T.CommaList(T.QuotedString), v => (Func<ModeConfigServer, ModeConfigServer>)(m => m with { AuthGroups = [.. m.AuthGroups, .. v] })),
            ["group_source"] = a => Source("'system' or 'ldap'", ["system", "ldap"], (m, v) => m with { GroupSource = v }),
            ["conf_source"] = a => Source("'local', 'radius' or 'ldap'", ["local", "radius", "ldap"], (m, v) => m with { ConfSource = v }),
            ["accounting"] = a => Source("'none', 'system', 'radius' or 'pam'", ["none", "system", "radius", "pam"], (m, v) => m with { Accounting = v }),
            ["pool_size"] = a => Then(T.NumberIn(1, 65535, "pool_size"), v => (Func<ModeConfigServer, ModeConfigServer>)(m => m with { PoolSize = v })),
            ["pfs_group"] = a => Then(DhGroupValue(), v => (Func<ModeConfigServer, ModeConfigServer>)(m => m with { PfsGroup = v })),
            ["save_passwd"] = a => Then(T.Switch, v => (Func<ModeConfigServer, ModeConfigServer>)(m => m with { SavePassword = v })),
            ["auth_throttle"] = a => Then(T.Number, v => (Func<ModeConfigServer, ModeConfigServer>)(m => m with { AuthThrottle = TimeSpan.FromSeconds(v) })),
            ["banner"] = a => Then(T.QuotedString, v => (Func<ModeConfigServer, ModeConfigServer>)(m => m with { Banner = v })),
        }))
        select (Action<ConfigBuilder>)(b => b.ModeConfig = items.Aggregate(b.ModeConfig ?? new ModeConfigServer(), (m, f) => f(m)));
    }

    private Parser<List<bool>> Ldap()
    {
        Parser<bool> Str(SourceLocation a) => Then(T.QuotedString, _ => true);
        Parser<bool> Num(SourceLocation a) => Then(T.Number, _ => true);
        return T.Block(T.Dispatch("ldapcfg section", new Dictionary<string, Func<SourceLocation, Parser<bool>>>
        {
            ["version"] = Num, ["debug"] = Num, ["timeout"] = Num, ["port"] = Num,
            ["uri"] = Str, ["host"] = Str, ["base"] = Str, ["bind_dn"] = Str, ["bind_pw"] = Str,
            ["attr_user"] = Str, ["attr_addr"] = Str, ["attr_mask"] = Str, ["attr_group"] = Str, ["attr_member"] = Str,
            ["subtree"] = a => Then(T.Switch, _ => true),
        }));
    }

    private Parser<List<bool>> Radius()
    {
        Parser<bool> Server(SourceLocation a) =>
            from host in T.QuotedString
            from port in T.Number.Optional()
            from secret in T.QuotedString
            from _ in T.EndOfStatement
            select true;
        return T.Block(T.Dispatch("radiuscfg section", new Dictionary<string, Func<SourceLocation, Parser<bool>>>
        {
            ["auth"] = Server, ["acct"] = Server,
            ["timeout"] = a => Then(T.Number, _ => true), ["retries"] = a => Then(T.Number, _ => true),
        }));
    }

    // ---- shared values ----------------------------------------------------------------------

    private Parser<DhGroupId> DhGroupValue() =>
        T.Choice("a DH group (modp768, modp1024, modp1536, modp2048, modp3072, modp4096, modp6144, modp8192 or 1, 2, 5, 14-18)", AlgorithmNames.DhGroups);

    /// <summary>`lifetime time N unit;` (a `byte` lifetime is an error, as in racoon).</summary>
    private Parser<TimeSpan> Lifetime(string byteError) =>
        (from _ in T.Keyword("time")
         from d in T.Duration
         from end in T.EndOfStatement
         select d)
        .OrElse(input =>
        {
            var at = ConfTokens.SkipBlanks(input);
            var r = (from _ in T.Keyword("byte") from n in T.ByteCount select n)(input);
            return r.WasSuccessful ? ConfTokens.Fail<TimeSpan>(at, byteError) : Result.Failure<TimeSpan>(r.Remainder, r.Message, r.Expectations);
        });

    /// <summary>An optional key length after a cipher name, checked against the cipher's rule where it is written.</summary>
    private Parser<int?> KeyLength((int Min, int Max, int Step)? rule) => input =>
    {
        var at = ConfTokens.SkipBlanks(input);
        var r = T.Number(input);
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
        T.QuotedString.Select(s => (string?)s)
            .OrElse(T.Address.Select(a => (string?)a.ToString()))
            .Optional().Select(o => o.GetOrDefault());

    private static readonly Dictionary<string, IdentifierType> IdentifierTypes = new()
    {
        ["address"] = IdentifierType.Address, ["fqdn"] = IdentifierType.Fqdn, ["user_fqdn"] = IdentifierType.UserFqdn,
        ["keyid"] = IdentifierType.KeyIdFile, ["asn1dn"] = IdentifierType.Asn1Dn, ["subnet"] = IdentifierType.Subnet,
    };

    /// <summary>`idtype [file|tag] [value]` as used by my_identifier, peers_identifier and sainfo `from`.</summary>
    private Parser<IdentifierConfig> Identifier() => input =>
    {
        var typeAt = ConfTokens.SkipBlanks(input);
        var type = T.Choice("an identifier type (address, fqdn, user_fqdn, keyid, asn1dn)", IdentifierTypes)(input);
        if (!type.WasSuccessful)
            return Result.Failure<IdentifierConfig>(type.Remainder, type.Message, type.Expectations);
        var rest = type.Remainder;
        var kind = type.Value;
        var qualifierAt = ConfTokens.SkipBlanks(rest);
        var qualifier = T.Choice("", new Dictionary<string, string> { ["tag"] = "tag", ["file"] = "file" })(rest);
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

    // ---- remote ------------------------------------------------------------------------------

    private Parser<RemoteIndex> Index() =>
        (from _ in T.Keyword("anonymous")
         from port in T.Port.Opt()
         select new RemoteIndex(null, port.Has ? port.Value : 500))
        .OrElse(AddressAndPort());

    private Parser<Action<ConfigBuilder>> Remote(SourceLocation at)
    {
        // racoon's grammar pairs a quoted name with a quoted parent and an address with an address;
        // either parent form is accepted after either header form here.
        var parentRef =
            from _ in T.Keyword("inherit")
            from p in T.QuotedString.Select(n => (Name: (string?)n, Index: (RemoteIndex?)null))
                .OrElse(Index().Select(i => (Name: (string?)null, Index: (RemoteIndex?)i)))
            select p;
        var named =
            from name in T.QuotedString
            from parent in parentRef.Optional()
            select new RemoteHeader(at, name, null, parent.GetOrDefault().Name, parent.GetOrDefault().Index);
        var indexed =
            from index in Index()
            from parent in parentRef.Optional()
            select new RemoteHeader(at, null, index, parent.GetOrDefault().Name, parent.GetOrDefault().Index);
        var header = named.OrElse(indexed);
        var body = T.Block(RemoteSpecParser())
            .OrElse(from end in T.EndOfStatement select new List<RemoteSpec>());
        return from h in header
               from specs in (h.Inherits ? body : T.Block(RemoteSpecParser()))
               select (Action<ConfigBuilder>)(b => RemoteBinder.Apply(b, h, specs));
    }

    private Parser<RemoteSpec> RemoteSpecParser()
    {
        Parser<RemoteSpec> Set<TV>(SourceLocation at, Parser<TV> value, Func<RemoteConfig, TV, RemoteConfig> apply) =>
            from v in value
            from _ in T.EndOfStatement
            select new RemoteSpec(at, (r, b) => apply(r, v));

        var exchangeModes = new Dictionary<string, ExchangeMode> { ["main"] = ExchangeMode.Main, ["aggressive"] = ExchangeMode.Aggressive, ["base"] = ExchangeMode.Base };
        // racoon's lexer drops commas here, so "main, aggressive" and "main aggressive" are the same.
        var exchangeMode = from m in T.Choice("an exchange mode (main, aggressive, base)", exchangeModes)
                           from comma in T.Symbol(',').Optional()
                           select m;
        var tristate = new Dictionary<string, Tristate> { ["on"] = Tristate.On, ["off"] = Tristate.Off, ["force"] = Tristate.Force };
        Parser<Tristate> Tri() => T.Switch.Select(v => v ? Tristate.On : Tristate.Off).OrElse(T.Keyword("force").Return(Tristate.Force));

        var table = new Dictionary<string, Func<SourceLocation, Parser<RemoteSpec>>>
        {
            ["remote_address"] = at => Set(at, AddressAndPort(), (r, a) => r.Address is not null
                ? throw new ConfigErrorException(at, "remote_address already specified")
                : r with { Address = a.Address, Port = a.Port }),
            ["exchange_mode"] = at => Set(at, exchangeMode.AtLeastOnce(), (r, modes) => r with { ExchangeModes = [.. modes] }),
            ["doi"] = at => Set(at, T.Keyword("ipsec_doi"), (r, _) => r),
            ["situation"] = at => Set(at, T.Choice("'identity_only', 'secrecy' or 'integrity'", new Dictionary<string, int> { ["identity_only"] = 1, ["secrecy"] = 2, ["integrity"] = 4 }), (r, s) => r with { Situation = s }),
            ["my_identifier"] = at => Set(at, Identifier(), (r, id) => r with { MyIdentifier = id }),
            ["peers_identifier"] = at => Set(at, Identifier(), (r, id) => r with { PeersIdentifiers = [.. r.PeersIdentifiers, id] }),
            ["verify_identifier"] = at => Set(at, T.Switch, (r, v) => r with { VerifyIdentifier = v }),
            ["xauth_login"] = at => Set(at, IdentifierValue(), (r, v) => r with { XauthLogin = v }),
            ["certificate_type"] = at => CertificateType(at),
            ["peers_certfile"] = at => PeersCertFile(at),
            ["ca_type"] = at =>
                from _ in T.Keyword("x509")
                from fileAt in T.Here
                from file in T.QuotedString
                from end in T.EndOfStatement
                select new RemoteSpec(at, (r, b) => r.CaCertificate is not null
                    ? throw new ConfigErrorException(at, "ca_type already defined")
                    : r with { CaCertificate = new FileReference(file, fileAt) }),
            ["verify_cert"] = at => Set(at, T.Switch, (r, v) => r with { VerifyCertificate = v }),
            ["send_cert"] = at => Set(at, T.Switch, (r, v) => r with { SendCertificate = v }),
            ["send_cr"] = at => Set(at, T.Switch, (r, v) => r with { SendCertificateRequest = v }),
            ["match_empty_cr"] = at => Set(at, T.Switch, (r, v) => r with { MatchEmptyCertificateRequest = v }),
            ["nonce_size"] = at => Set(at, T.NumberIn(8, 256, "nonce_size"), (r, v) => r with { NonceSize = v }),
            ["dh_group"] = at => (Parser<RemoteSpec>)(i => ConfTokens.Fail<RemoteSpec>(ConfTokens.SkipBlanks(i), "dh_group cannot be defined here: write it inside proposal { }")),
            ["passive"] = at => Set(at, T.Switch, (r, v) => r with { Passive = v }),
            ["ike_frag"] = at => Set(at, Tri(), (r, v) => r with { IkeFragmentation = v }),
            ["esp_frag"] = at => Set(at, T.NumberIn(0, 65535, "esp_frag"), (r, v) => r with { EspFragment = v }),
            ["script"] = at =>
                from fileAt in T.Here
                from file in T.QuotedString
                from ev in T.Choice("'phase1_up', 'phase1_down' or 'phase1_dead'", new Dictionary<string, ScriptEvent> { ["phase1_up"] = ScriptEvent.Phase1Up, ["phase1_down"] = ScriptEvent.Phase1Down, ["phase1_dead"] = ScriptEvent.Phase1Dead })
                from end in T.EndOfStatement
                select new RemoteSpec(at, (r, b) => r with { Scripts = [.. r.Scripts, new ScriptConfig(new FileReference(file, fileAt), ev)] }),
            ["mode_cfg"] = at => Set(at, T.Switch, (r, v) => r with { ModeConfig = v }),
            ["weak_phase1_check"] = at => Set(at, T.Switch, (r, v) => r with { WeakPhase1Check = v }),
            ["generate_policy"] = at => Set(at,
                T.Switch.Select(v => v ? GeneratePolicyMode.On : GeneratePolicyMode.Off)
                    .OrElse(T.Choice("'on', 'off', 'require' or 'unique'", new Dictionary<string, GeneratePolicyMode> { ["require"] = GeneratePolicyMode.Require, ["unique"] = GeneratePolicyMode.Unique })),
                (r, v) => r with { GeneratePolicy = v }),
            ["support_proxy"] = at => Set(at, T.Switch, (r, v) => r with { SupportProxy = v }),
            ["initial_contact"] = at => Set(at, T.Switch, (r, v) => r with { InitialContact = v }),
            ["nat_traversal"] = at => Set(at, Tri(), (r, v) => r with { NatTraversal = v }),
            ["dpd"] = at => Set(at, T.Switch, (r, v) => r with { Dpd = v }),
            ["dpd_delay"] = at => Set(at, T.Number, (r, v) => r with { DpdDelay = TimeSpan.FromSeconds(v) }),
            ["dpd_retry"] = at => Set(at, T.Number, (r, v) => r with { DpdRetry = TimeSpan.FromSeconds(v) }),
            ["dpd_maxfail"] = at => Set(at, T.NumberIn(0, int.MaxValue, "dpd_maxfail"), (r, v) => r with { DpdMaxFail = v }),
            ["rekey"] = at => Set(at, Tri(), (r, v) => r with { Rekey = v }),
            ["ph1id"] = at => Set(at, T.Number, (r, v) => r with { Ph1Id = (uint)v }),
            ["lifetime"] = at =>
                from d in Lifetime("byte lifetime support is deprecated in Phase1: use lifetime time N unit")
                select new RemoteSpec(at, (r, b) => r with { Lifetime = d }),
            ["proposal_check"] = at => Set(at, T.Choice("'obey', 'strict', 'claim' or 'exact'", new Dictionary<string, ProposalCheckLevel>
                { ["obey"] = ProposalCheckLevel.Obey, ["strict"] = ProposalCheckLevel.Strict, ["claim"] = ProposalCheckLevel.Claim, ["exact"] = ProposalCheckLevel.Exact }),
                (r, v) => r with { ProposalCheck = v }),
            ["proposal"] = at =>
                from items in T.Block(ProposalSpecParser())
                select new RemoteSpec(at, (r, b) => r with { Proposals = [.. r.Proposals, BuildProposal(at, items)] }),
        };
        return T.Dispatch("remote section", table);
    }

    private Parser<RemoteSpec> CertificateType(SourceLocation at) =>
        (from _ in T.Keyword("x509")
         from certAt in T.Here
         from cert in T.QuotedString
         from keyAt in T.Here
         from key in T.QuotedString
         from end in T.EndOfStatement
         select new RemoteSpec(at, (r, b) => r with { CertificateType = new CertificateTypeConfig(CertificateKind.X509, new FileReference(cert, certAt), new FileReference(key, keyAt)) }))
        .OrElse(from _ in T.Keyword("plain_rsa")
            from keyAt in T.Here
            from key in T.QuotedString
            from end in T.EndOfStatement
            select new RemoteSpec(at, (r, b) => r with
            {
                CertificateType = new CertificateTypeConfig(CertificateKind.PlainRsa, null, new FileReference(key, keyAt)),
                // plain RSA keys travel in no payload: racoon turns these off.
                SendCertificate = false,
                SendCertificateRequest = false,
                VerifyCertificate = false,
            }));

    private Parser<RemoteSpec> PeersCertFile(SourceLocation at)
    {
        RemoteConfig Set(RemoteConfig r, PeersCertFileConfig value) =>
            r.PeersCertFile is not null ? throw new ConfigErrorException(at, "peers_certfile already defined") : r with { PeersCertFile = value };
        return (from _ in T.Keyword("x509")
                from fileAt in T.Here
                from file in T.QuotedString
                from end in T.EndOfStatement
                select new RemoteSpec(at, (r, b) => Set(r, new PeersCertFileConfig(CertificateKind.X509, new FileReference(file, fileAt)))))
            .OrElse(from _ in T.Keyword("plain_rsa")
                from fileAt in T.Here
                from file in T.QuotedString
                from end in T.EndOfStatement
                select new RemoteSpec(at, (r, b) => Set(r, new PeersCertFileConfig(CertificateKind.PlainRsa, new FileReference(file, fileAt)))))
            .OrElse(from _ in T.Keyword("dnssec")
                from end in T.EndOfStatement
                select new RemoteSpec(at, (r, b) => Set(r, new PeersCertFileConfig(CertificateKind.Dnssec, null))))
            .OrElse(from fileAt in T.Here
                from file in T.QuotedString
                from end in T.EndOfStatement
                select new RemoteSpec(at, (r, b) =>
                {
                    b.Warn(at, $"peers_certfile without a certificate type is deprecated: write peers_certfile x509 \"{file}\";");
                    return Set(r, new PeersCertFileConfig(CertificateKind.X509, new FileReference(file, fileAt), DeprecatedForm: true));
                }));
    }

    private Parser<Action<ProposalDraft>> ProposalSpecParser() => T.Dispatch("proposal section", new Dictionary<string, Func<SourceLocation, Parser<Action<ProposalDraft>>>>
    {
        ["encryption_algorithm"] = at =>
            from alg in T.Choice("a phase 1 cipher (des, 3des, blowfish, cast128, aes, camellia)", AlgorithmNames.EncryptionAlgorithm)
                .Check(a => a is EncryptionAlgorithm.IdeaCbc or EncryptionAlgorithm.Rc5R16B64Cbc ? $"algorithm {AlgorithmNames.Name(a)} not supported" : null)
            from keyLength in KeyLength(AlgorithmNames.KeyLengthRule(alg))
            from end in T.EndOfStatement
            select (Action<ProposalDraft>)(d => d.Encryption = new CipherChoice<EncryptionAlgorithm>(alg, keyLength)),
        ["hash_algorithm"] = at =>
            from h in T.Choice("a hash (md5, sha1, sha256, sha384, sha512)", AlgorithmNames.Hash)
                .Check(h => h == HashAlgorithm.Tiger ? "hash tiger is not supported" : null)
            from _ in T.EndOfStatement
            select (Action<ProposalDraft>)(d => d.Hash = h),
        ["authentication_method"] = at =>
            from m in T.Choice("an authentication method (pre_shared_key, rsasig, gssapi_krb, hybrid_rsa_*, xauth_psk_*, xauth_rsa_*)", AlgorithmNames.AuthenticationMethods)
            from _ in T.EndOfStatement
            select (Action<ProposalDraft>)(d => d.AuthenticationMethod = m),
        ["dh_group"] = at =>
            from g in DhGroupValue()
            from _ in T.EndOfStatement
            select (Action<ProposalDraft>)(d => d.DhGroup = g),
        ["lifetime"] = at =>
            from l in Lifetime("byte lifetime support is deprecated in Phase1: use lifetime time N unit")
            select (Action<ProposalDraft>)(d => d.Lifetime = l),
        ["gss_id"] = at => Then(T.QuotedString, s => (Action<ProposalDraft>)(d => d.GssId = s)),
        ["gssapi_id"] = at => Then(T.QuotedString, s => (Action<ProposalDraft>)(d => d.GssId = s)),
    });

    private static Phase1Proposal BuildProposal(SourceLocation at, List<Action<ProposalDraft>> items)
    {
        var d = new ProposalDraft();
        foreach (var item in items)
            item(d);
        var missing = new List<string>();
        if (d.Encryption is null) missing.Add("encryption_algorithm");
        if (d.Hash is null) missing.Add("hash_algorithm");
        if (d.AuthenticationMethod is null) missing.Add("authentication_method");
        if (d.DhGroup is null) missing.Add("dh_group");
        if (missing.Count > 0)
            throw new ConfigErrorException(at, $"incomplete proposal: missing {string.Join(", ", missing)}");
        return new Phase1Proposal
        {
            Encryption = d.Encryption!.Value,
            Hash = d.Hash!.Value,
            AuthenticationMethod = d.AuthenticationMethod!.Value,
            DhGroup = d.DhGroup!.Value,
            Lifetime = d.Lifetime,
            GssId = d.GssId,
            Location = at,
        };
    }

    // ---- sainfo ------------------------------------------------------------------------------

    private Parser<SainfoId> SainfoIdParser()
    {
        Parser<SainfoId> addressId = input =>
        {
            var kindAt = ConfTokens.SkipBlanks(input);
            var kind = T.Choice("", new Dictionary<string, bool> { ["address"] = false, ["subnet"] = true })(input);
            if (!kind.WasSuccessful)
                return Result.Failure<SainfoId>(kind.Remainder, kind.Message, kind.Expectations);
            var addrAt = ConfTokens.SkipBlanks(kind.Remainder);
            var address = T.Address(kind.Remainder);
            if (!address.WasSuccessful)
                return Result.Failure<SainfoId>(address.Remainder, address.Message, address.Expectations);
            var rest = address.Remainder;
            IPAddress? rangeEnd = null;
            var range = T.RangeEnd(ConfTokens.SkipBlanks(rest));
            if (range.WasSuccessful)
            {
                rangeEnd = range.Value;
                rest = range.Remainder;
            }
            else if (range.Remainder.Position > ConfTokens.SkipBlanks(rest).Position)
            {
                return Result.Failure<SainfoId>(range.Remainder, range.Message, range.Expectations);
            }
            var full = SainfoId.FullLength(address.Value);
            var prefixAt = ConfTokens.SkipBlanks(rest);
            var prefix = T.Prefix(prefixAt);
            var prefixLength = full;
            if (prefix.WasSuccessful)
            {
                if (prefix.Value > full)
                    return ConfTokens.Fail<SainfoId>(prefixAt, $"prefix length /{prefix.Value} is longer than the address ({full} bits)");
                prefixLength = prefix.Value;
                rest = prefix.Remainder;
            }
            else if (!prefixAt.AtEnd && prefixAt.Current == '/')
            {
                return Result.Failure<SainfoId>(prefix.Remainder, prefix.Message, prefix.Expectations);
            }
            var portAt = ConfTokens.SkipBlanks(rest);
            var port = T.PortAny.OrElse(T.Port)(rest);
            var portValue = 0;
            if (port.WasSuccessful)
            {
                portValue = port.Value;
                rest = port.Remainder;
            }
            else if (!portAt.AtEnd && portAt.Current == '[')
            {
                return Result.Failure<SainfoId>(port.Remainder, port.Message, port.Expectations);
            }
            var protoAt = ConfTokens.SkipBlanks(rest);
            var proto = T.Choice("an upper-layer protocol (any, tcp, udp, icmp, icmp6, gre, esp, ah, ipcomp or a number)", AlgorithmNames.UpperProtocols)
                .OrElse(T.NumberIn(0, 255, "protocol number").Select(n => (byte)n))(rest);
            if (!proto.WasSuccessful)
                return Result.Failure<SainfoId>(proto.Remainder, proto.Message, proto.Expectations);
            var isV6 = address.Value.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
            if (proto.Value is 1 or 58 && portValue != 0)
                return ConfTokens.Fail<SainfoId>(portAt, "port number must be \"any\" for icmp and icmp6");
            if ((proto.Value == 58 && !isV6) || (proto.Value == 1 && isV6))
                return ConfTokens.Fail<SainfoId>(protoAt, "upper layer protocol mismatched: icmp is for IPv4 addresses, icmp6 for IPv6");
            if (rangeEnd is not null && rangeEnd.AddressFamily != address.Value.AddressFamily)
                return ConfTokens.Fail<SainfoId>(addrAt, "both ends of an address range must be of the same family");
            SainfoId id = rangeEnd is not null
                ? new SainfoId { Kind = SainfoIdKind.Range, Address = address.Value, RangeEnd = rangeEnd, PrefixLength = full, Protocol = proto.Value, Port = (ushort)portValue }
                : prefixLength == full
                    ? SainfoId.ForAddress(address.Value, proto.Value, (ushort)portValue)
                    : SainfoId.ForSubnet(address.Value, prefixLength, proto.Value, (ushort)portValue);
            return Result.Success(id, proto.Remainder);
        };
        var nameId =
            from kind in T.Choice("", new Dictionary<string, SainfoIdKind> { ["fqdn"] = SainfoIdKind.Fqdn, ["user_fqdn"] = SainfoIdKind.UserFqdn, ["keyid"] = SainfoIdKind.KeyId })
            from name in T.QuotedString
            select new SainfoId { Kind = kind, Name = name };
        Parser<SainfoId> asn1 = input =>
        {
            var at = ConfTokens.SkipBlanks(input);
            var r = T.Keyword("asn1dn")(input);
            return r.WasSuccessful ? ConfTokens.Fail<SainfoId>(at, "asn1dn cannot be a sainfo id (use address, subnet, fqdn, user_fqdn or keyid)") : Result.Failure<SainfoId>(r.Remainder, r.Message, r.Expectations);
        };
        return addressId.OrElse(nameId).OrElse(asn1)
            .Expecting("a sainfo id (address ADDR[/plen] [port] proto, subnet ..., fqdn \"...\", user_fqdn \"...\", keyid \"...\")");
    }

    private sealed record SainfoHeader(SainfoId? Local, SainfoId? Remote, bool ClientAddress, IdentifierConfig? From, string? Group);

    private Parser<Action<ConfigBuilder>> Sainfo(SourceLocation at)
    {
        var id = SainfoIdParser();
        var anonymous = T.Keyword("anonymous");
        var clientaddr = T.Keyword("clientaddr");
        Parser<(SainfoId? Remote, bool Client)> second =
            anonymous.Return(((SainfoId?)null, false))
                .OrElse(clientaddr.Return(((SainfoId?)null, true)))
                .OrElse(id.Select(i => ((SainfoId?)i, false)))
                .Expecting("'anonymous', 'clientaddr' or a sainfo id");
        var names =
            (from _ in anonymous
             from r in second.Optional()
             select (Local: (SainfoId?)null, Second: r.GetOrElse((null, false))))
            .OrElse(from l in id
                from r in second
                select (Local: (SainfoId?)l, Second: r));
        var param =
            (from _ in T.Keyword("from") from i in Identifier() select (From: (IdentifierConfig?)i, Group: (string?)null))
            .OrElse(from _ in T.Keyword("group") from g in T.QuotedString select (From: (IdentifierConfig?)null, Group: (string?)g));
        var header =
            from n in names
            from p in param.Optional()
            select new SainfoHeader(n.Local, n.Second.Item1, n.Second.Item2, p.GetOrDefault().From, p.GetOrDefault().Group);
        return from h in header
               from specs in T.Block(SainfoSpecParser())
               select (Action<ConfigBuilder>)(b => SainfoBinder.Apply(b, at, h.Local, h.Remote, h.ClientAddress, h.From, h.Group, specs));
    }

    private Parser<Func<SainfoConfig, SainfoConfig>> SainfoSpecParser()
    {
        var cipher =
            from alg in T.Choice("an ESP cipher (des, 3des, blowfish, cast128, aes, twofish, camellia, null_enc, ...)", AlgorithmNames.Phase2Encryption)
            from keyLength in KeyLength(AlgorithmNames.KeyLengthRule(alg))
            select new CipherChoice<Phase2Encryption>(alg, keyLength);
        return T.Dispatch("sainfo section", new Dictionary<string, Func<SourceLocation, Parser<Func<SainfoConfig, SainfoConfig>>>>
        {
            ["pfs_group"] = at => Then(DhGroupValue(), g => (Func<SainfoConfig, SainfoConfig>)(s => s with { PfsGroup = g })),
            ["remoteid"] = at => Then(T.Number, n => (Func<SainfoConfig, SainfoConfig>)(s => s with { RemoteIdNumber = (uint)n })),
            ["lifetime"] = at => Lifetime("byte lifetime support is deprecated: use lifetime time N unit").Select(l => (Func<SainfoConfig, SainfoConfig>)(s => s with { Lifetime = l })),
            ["encryption_algorithm"] = at => Then(T.CommaList(cipher), list => (Func<SainfoConfig, SainfoConfig>)(s => s with { EncryptionAlgorithms = [.. s.EncryptionAlgorithms, .. list] })),
            ["authentication_algorithm"] = at => Then(T.CommaList(T.Choice("an authentication algorithm (hmac_md5, hmac_sha1, hmac_sha256, hmac_sha384, hmac_sha512, non_auth)", AlgorithmNames.Phase2Authentication)
                    .Check(a => a is Phase2Authentication.DesMac or Phase2Authentication.Kpdk ? $"{AlgorithmNames.Name(a)} is not usable with IPsec on Linux" : null)),
                list => (Func<SainfoConfig, SainfoConfig>)(s => s with { AuthenticationAlgorithms = [.. s.AuthenticationAlgorithms, .. list] })),
            ["compression_algorithm"] = at => Then(T.CommaList(T.Choice("a compression algorithm (deflate)", AlgorithmNames.Compression)),
                list => (Func<SainfoConfig, SainfoConfig>)(s => s with { CompressionAlgorithms = [.. s.CompressionAlgorithms, .. list] })),
        });
    }
}
