using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Wire;
using Sprache;

namespace KernelIpsec.Keyd.Config;

/// <summary>racoon.conf's `remote` sections: headers, inheritance, specs and phase 1 proposals.</summary>
internal sealed partial class RacoonConfGrammar
{
    private Parser<RemoteIndex> Index() =>
        (from _ in t.Keyword("anonymous")
         from port in t.Port.Opt()
         select new RemoteIndex(null, port.Has ? port.Value : 500))
        .OrElse(AddressAndPort());

    private Parser<Action<ConfigBuilder>> Remote(SourceLocation at)
    {
        // racoon's grammar pairs a quoted name with a quoted parent and an address with an address;
        // either parent form is accepted after either header form here.
        var parentRef =
            from _ in t.Keyword("inherit")
            from p in t.QuotedString.Select(n => (Name: (string?)n, Index: (RemoteIndex?)null))
                .OrElse(Index().Select(i => (Name: (string?)null, Index: (RemoteIndex?)i)))
            select p;
        var named =
            from name in t.QuotedString
            from parent in parentRef.Optional()
            select new RemoteHeader(at, name, null, parent.GetOrDefault().Name, parent.GetOrDefault().Index);
        var indexed =
            from index in Index()
            from parent in parentRef.Optional()
            select new RemoteHeader(at, null, index, parent.GetOrDefault().Name, parent.GetOrDefault().Index);
        var header = named.OrElse(indexed);
        var body = t.Block(RemoteSpecParser())
            .OrElse(from end in t.EndOfStatement select new List<RemoteSpec>());
        return from h in header
               from specs in (h.Inherits ? body : t.Block(RemoteSpecParser()))
               select (Action<ConfigBuilder>)(b => RemoteBinder.Apply(b, h, specs));
    }

    private Parser<RemoteSpec> RemoteSpecParser()
    {
        Parser<RemoteSpec> Set<TV>(SourceLocation at, Parser<TV> value, Func<RemoteConfig, TV, RemoteConfig> apply) =>
            from v in value
            from _ in t.EndOfStatement
            select new RemoteSpec(at, (r, b) => apply(r, v));

        var exchangeModes = new Dictionary<string, ExchangeMode> { ["main"] = ExchangeMode.Main, ["aggressive"] = ExchangeMode.Aggressive, ["base"] = ExchangeMode.Base };
        // racoon's lexer drops commas here, so "main, aggressive" and "main aggressive" are the same.
        var exchangeMode = from m in t.Choice("an exchange mode (main, aggressive, base)", exchangeModes)
                           from comma in t.Symbol(',').Optional()
                           select m;
        var tristate = new Dictionary<string, Tristate> { ["on"] = Tristate.On, ["off"] = Tristate.Off, ["force"] = Tristate.Force };
        Parser<Tristate> Tri() => t.Switch.Select(v => v ? Tristate.On : Tristate.Off).OrElse(t.Keyword("force").Return(Tristate.Force));

        var table = new Dictionary<string, Func<SourceLocation, Parser<RemoteSpec>>>
        {
            ["remote_address"] = at => Set(at, AddressAndPort(), (r, a) => r.Address is not null
                ? throw new ConfigErrorException(at, "remote_address already specified")
                : r with { Address = a.Address, Port = a.Port }),
            ["exchange_mode"] = at => Set(at, exchangeMode.AtLeastOnce(), (r, modes) => r with { ExchangeModes = [.. modes] }),
            ["doi"] = at => Set(at, t.Keyword("ipsec_doi"), (r, _) => r),
            ["situation"] = at => Set(at, t.Choice("'identity_only', 'secrecy' or 'integrity'", new Dictionary<string, int> { ["identity_only"] = 1, ["secrecy"] = 2, ["integrity"] = 4 }), (r, s) => r with { Situation = s }),
            ["my_identifier"] = at => Set(at, Identifier(), (r, id) => r with { MyIdentifier = id }),
            ["peers_identifier"] = at => Set(at, Identifier(), (r, id) => r with { PeersIdentifiers = [.. r.PeersIdentifiers, id] }),
            ["verify_identifier"] = at => Set(at, t.Switch, (r, v) => r with { VerifyIdentifier = v }),
            ["xauth_login"] = at => Set(at, IdentifierValue(), (r, v) => r with { XauthLogin = v }),
            ["certificate_type"] = at => CertificateType(at),
            ["peers_certfile"] = at => PeersCertFile(at),
            ["ca_type"] = at =>
                from _ in t.Keyword("x509")
                from fileAt in t.Here
                from file in t.QuotedString
                from end in t.EndOfStatement
                select new RemoteSpec(at, (r, b) => r.CaCertificate is not null
                    ? throw new ConfigErrorException(at, "ca_type already defined")
                    : r with { CaCertificate = new FileReference(file, fileAt) }),
            ["verify_cert"] = at => Set(at, t.Switch, (r, v) => r with { VerifyCertificate = v }),
            ["send_cert"] = at => Set(at, t.Switch, (r, v) => r with { SendCertificate = v }),
            ["send_cr"] = at => Set(at, t.Switch, (r, v) => r with { SendCertificateRequest = v }),
            ["match_empty_cr"] = at => Set(at, t.Switch, (r, v) => r with { MatchEmptyCertificateRequest = v }),
            ["nonce_size"] = at => Set(at, t.NumberIn(8, 256, "nonce_size"), (r, v) => r with { NonceSize = v }),
            ["dh_group"] = at => (Parser<RemoteSpec>)(i => ConfTokens.Fail<RemoteSpec>(ConfTokens.SkipBlanks(i), "dh_group cannot be defined here: write it inside proposal { }")),
            ["passive"] = at => Set(at, t.Switch, (r, v) => r with { Passive = v }),
            ["ike_frag"] = at => Set(at, Tri(), (r, v) => r with { IkeFragmentation = v }),
            ["esp_frag"] = at => Set(at, t.NumberIn(0, 65535, "esp_frag"), (r, v) => r with { EspFragment = v }),
            ["script"] = at =>
                from fileAt in t.Here
                from file in t.QuotedString
                from ev in t.Choice("'phase1_up', 'phase1_down' or 'phase1_dead'", new Dictionary<string, ScriptEvent> { ["phase1_up"] = ScriptEvent.Phase1Up, ["phase1_down"] = ScriptEvent.Phase1Down, ["phase1_dead"] = ScriptEvent.Phase1Dead })
                from end in t.EndOfStatement
                select new RemoteSpec(at, (r, b) => r with { Scripts = [.. r.Scripts, new ScriptConfig(new FileReference(file, fileAt), ev)] }),
            ["mode_cfg"] = at => Set(at, t.Switch, (r, v) => r with { ModeConfig = v }),
            ["weak_phase1_check"] = at => Set(at, t.Switch, (r, v) => r with { WeakPhase1Check = v }),
            ["generate_policy"] = at => Set(at,
                t.Switch.Select(v => v ? GeneratePolicyMode.On : GeneratePolicyMode.Off)
                    .OrElse(t.Choice("'on', 'off', 'require' or 'unique'", new Dictionary<string, GeneratePolicyMode> { ["require"] = GeneratePolicyMode.Require, ["unique"] = GeneratePolicyMode.Unique })),
                (r, v) => r with { GeneratePolicy = v }),
            ["support_proxy"] = at => Set(at, t.Switch, (r, v) => r with { SupportProxy = v }),
            ["initial_contact"] = at => Set(at, t.Switch, (r, v) => r with { InitialContact = v }),
            ["nat_traversal"] = at => Set(at, Tri(), (r, v) => r with { NatTraversal = v }),
            ["dpd"] = at => Set(at, t.Switch, (r, v) => r with { Dpd = v }),
            ["dpd_delay"] = at => Set(at, t.Number, (r, v) => r with { DpdDelay = TimeSpan.FromSeconds(v) }),
            ["dpd_retry"] = at => Set(at, t.Number, (r, v) => r with { DpdRetry = TimeSpan.FromSeconds(v) }),
            ["dpd_maxfail"] = at => Set(at, t.NumberIn(0, int.MaxValue, "dpd_maxfail"), (r, v) => r with { DpdMaxFail = v }),
            ["rekey"] = at => Set(at, Tri(), (r, v) => r with { Rekey = v }),
            ["ph1id"] = at => Set(at, t.Number, (r, v) => r with { Ph1Id = (uint)v }),
            ["lifetime"] = at =>
                from d in Lifetime("byte lifetime support is deprecated in Phase1: use lifetime time N unit")
                select new RemoteSpec(at, (r, b) => r with { Lifetime = d }),
            ["proposal_check"] = at => Set(at, t.Choice("'obey', 'strict', 'claim' or 'exact'", new Dictionary<string, ProposalCheckLevel>
            { ["obey"] = ProposalCheckLevel.Obey, ["strict"] = ProposalCheckLevel.Strict, ["claim"] = ProposalCheckLevel.Claim, ["exact"] = ProposalCheckLevel.Exact }),
                (r, v) => r with { ProposalCheck = v }),
            ["proposal"] = at =>
                from items in t.Block(ProposalSpecParser())
                select new RemoteSpec(at, (r, b) => r with { Proposals = [.. r.Proposals, BuildProposal(at, items)] }),
        };
        return t.Dispatch("remote section", table);
    }

    private Parser<RemoteSpec> CertificateType(SourceLocation at) =>
        (from _ in t.Keyword("x509")
         from certAt in t.Here
         from cert in t.QuotedString
         from keyAt in t.Here
         from key in t.QuotedString
         from end in t.EndOfStatement
         select new RemoteSpec(at, (r, b) => r with { CertificateType = new CertificateTypeConfig(CertificateKind.X509, new FileReference(cert, certAt), new FileReference(key, keyAt)) }))
        .OrElse(from _ in t.Keyword("plain_rsa")
                from keyAt in t.Here
                from key in t.QuotedString
                from end in t.EndOfStatement
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
        return (from _ in t.Keyword("x509")
                from fileAt in t.Here
                from file in t.QuotedString
                from end in t.EndOfStatement
                select new RemoteSpec(at, (r, b) => Set(r, new PeersCertFileConfig(CertificateKind.X509, new FileReference(file, fileAt)))))
            .OrElse(from _ in t.Keyword("plain_rsa")
                    from fileAt in t.Here
                    from file in t.QuotedString
                    from end in t.EndOfStatement
                    select new RemoteSpec(at, (r, b) => Set(r, new PeersCertFileConfig(CertificateKind.PlainRsa, new FileReference(file, fileAt)))))
            .OrElse(from _ in t.Keyword("dnssec")
                    from end in t.EndOfStatement
                    select new RemoteSpec(at, (r, b) => Set(r, new PeersCertFileConfig(CertificateKind.Dnssec, null))))
            .OrElse(from fileAt in t.Here
                    from file in t.QuotedString
                    from end in t.EndOfStatement
                    select new RemoteSpec(at, (r, b) =>
                    {
                        b.Warn(at, $"peers_certfile without a certificate type is deprecated: write peers_certfile x509 \"{file}\";");
                        return Set(r, new PeersCertFileConfig(CertificateKind.X509, new FileReference(file, fileAt), DeprecatedForm: true));
                    }));
    }

    private Parser<Action<ProposalDraft>> ProposalSpecParser() => t.Dispatch("proposal section", new Dictionary<string, Func<SourceLocation, Parser<Action<ProposalDraft>>>>
    {
        ["encryption_algorithm"] = at =>
            from alg in t.Choice("a phase 1 cipher (des, 3des, blowfish, cast128, aes, camellia)", AlgorithmNames.EncryptionAlgorithm)
                .Check(a => a is EncryptionAlgorithm.IdeaCbc or EncryptionAlgorithm.Rc5R16B64Cbc ? $"algorithm {AlgorithmNames.Name(a)} not supported" : null)
            from keyLength in KeyLength(AlgorithmNames.KeyLengthRule(alg))
            from end in t.EndOfStatement
            select (Action<ProposalDraft>)(d => d.Encryption = new CipherChoice<EncryptionAlgorithm>(alg, keyLength)),
        ["hash_algorithm"] = at =>
            from h in t.Choice("a hash (md5, sha1, sha256, sha384, sha512)", AlgorithmNames.Hash)
                .Check(h => h == HashAlgorithm.Tiger ? "hash tiger is not supported" : null)
            from _ in t.EndOfStatement
            select (Action<ProposalDraft>)(d => d.Hash = h),
        ["authentication_method"] = at =>
            from m in t.Choice("an authentication method (pre_shared_key, rsasig, gssapi_krb, hybrid_rsa_*, xauth_psk_*, xauth_rsa_*)", AlgorithmNames.AuthenticationMethods)
            from _ in t.EndOfStatement
            select (Action<ProposalDraft>)(d => d.AuthenticationMethod = m),
        ["dh_group"] = at =>
            from g in DhGroupValue()
            from _ in t.EndOfStatement
            select (Action<ProposalDraft>)(d => d.DhGroup = g),
        ["lifetime"] = at =>
            from l in Lifetime("byte lifetime support is deprecated in Phase1: use lifetime time N unit")
            select (Action<ProposalDraft>)(d => d.Lifetime = l),
        ["gss_id"] = at => Then(t.QuotedString, s => (Action<ProposalDraft>)(d => d.GssId = s)),
        ["gssapi_id"] = at => Then(t.QuotedString, s => (Action<ProposalDraft>)(d => d.GssId = s)),
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
}
