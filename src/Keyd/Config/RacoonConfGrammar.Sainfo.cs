using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Wire;
using Sprache;

namespace KernelIpsec.Keyd.Config;

/// <summary>racoon.conf's `sainfo` sections: ids, header forms and phase 2 algorithm lists.</summary>
internal sealed partial class RacoonConfGrammar
{
    private Parser<SainfoId> SainfoIdParser()
    {
        Parser<SainfoId> addressId = input =>
        {
            var kindAt = ConfTokens.SkipBlanks(input);
            var kind = t.Choice("", new Dictionary<string, bool> { ["address"] = false, ["subnet"] = true })(input);
            if (!kind.WasSuccessful)
                return Result.Failure<SainfoId>(kind.Remainder, kind.Message, kind.Expectations);
            var addrAt = ConfTokens.SkipBlanks(kind.Remainder);
            var address = t.Address(kind.Remainder);
            if (!address.WasSuccessful)
                return Result.Failure<SainfoId>(address.Remainder, address.Message, address.Expectations);
            var rest = address.Remainder;
            IPAddress? rangeEnd = null;
            var range = t.RangeEnd(ConfTokens.SkipBlanks(rest));
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
            var prefix = t.Prefix(prefixAt);
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
            var port = t.PortAny.OrElse(t.Port)(rest);
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
            var proto = t.Choice("an upper-layer protocol (any, tcp, udp, icmp, icmp6, gre, esp, ah, ipcomp or a number)", AlgorithmNames.UpperProtocols)
                .OrElse(t.NumberIn(0, 255, "protocol number").Select(n => (byte)n))(rest);
            if (!proto.WasSuccessful)
                return Result.Failure<SainfoId>(proto.Remainder, proto.Message, proto.Expectations);
            var isV6 = address.Value.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
            if (proto.Value is 1 or 58 && portValue != 0)
                return ConfTokens.Fail<SainfoId>(portAt, "port number must be \"any\" for icmp and icmp6");
            if ((proto.Value == 58 && !isV6) || (proto.Value == 1 && isV6))
                return ConfTokens.Fail<SainfoId>(protoAt, "upper layer protocol mismatched: icmp is for IPv4 addresses, icmp6 for IPv6");
            if (rangeEnd is not null && rangeEnd.AddressFamily != address.Value.AddressFamily)
                return ConfTokens.Fail<SainfoId>(addrAt, "both ends of an address range must be of the same family");
            var id = rangeEnd is not null
                ? new SainfoId { Kind = SainfoIdKind.Range, Address = address.Value, RangeEnd = rangeEnd, PrefixLength = full, Protocol = proto.Value, Port = (ushort)portValue }
                : prefixLength == full
                    ? SainfoId.ForAddress(address.Value, proto.Value, (ushort)portValue)
                    : SainfoId.ForSubnet(address.Value, prefixLength, proto.Value, (ushort)portValue);
            return Result.Success(id, proto.Remainder);
        };
        var nameId =
            from kind in t.Choice("", new Dictionary<string, SainfoIdKind> { ["fqdn"] = SainfoIdKind.Fqdn, ["user_fqdn"] = SainfoIdKind.UserFqdn, ["keyid"] = SainfoIdKind.KeyId })
            from name in t.QuotedString
            select new SainfoId { Kind = kind, Name = name };
        Parser<SainfoId> asn1 = input =>
        {
            var at = ConfTokens.SkipBlanks(input);
            var r = t.Keyword("asn1dn")(input);
            return r.WasSuccessful ? ConfTokens.Fail<SainfoId>(at, "asn1dn cannot be a sainfo id (use address, subnet, fqdn, user_fqdn or keyid)") : Result.Failure<SainfoId>(r.Remainder, r.Message, r.Expectations);
        };
        return addressId.OrElse(nameId).OrElse(asn1)
            .Expecting("a sainfo id (address ADDR[/plen] [port] proto, subnet ..., fqdn \"...\", user_fqdn \"...\", keyid \"...\")");
    }

    private sealed record SainfoHeader(SainfoId? Local, SainfoId? Remote, bool ClientAddress, IdentifierConfig? From, string? Group);

    private Parser<Action<ConfigBuilder>> Sainfo(SourceLocation at)
    {
        var id = SainfoIdParser();
        var anonymous = t.Keyword("anonymous");
        var clientaddr = t.Keyword("clientaddr");
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
            (from _ in t.Keyword("from") from i in Identifier() select (From: (IdentifierConfig?)i, Group: (string?)null))
            .OrElse(from groupAt in (Parser<IInput>)(i => Result.Success(ConfTokens.SkipBlanks(i), i))
                    from _ in t.Keyword("group")
                    from g in t.QuotedString
                    select Group(groupAt, g));
        var header =
            from n in names
            from p in param.Optional()
            select new SainfoHeader(n.Local, n.Second.Item1, n.Second.Item2, p.GetOrDefault().From, p.GetOrDefault().Group);
        return from h in header
               from specs in t.Block(SainfoSpecParser())
               select (Action<ConfigBuilder>)(b => SainfoBinder.Apply(b, at, h.Local, h.Remote, h.ClientAddress, h.From, h.Group, specs));
    }

    /// <summary>`group "name"` after a sainfo's ids, noted for <see cref="DirectiveSupport"/> (it does not take part in selection).</summary>
    private (IdentifierConfig? From, string? Group) Group(IInput at, string group)
    {
        t.Wrote("sainfo section", "group", at, at);
        return (null, group);
    }

    private Parser<Func<SainfoConfig, SainfoConfig>> SainfoSpecParser()
    {
        var cipher =
            from alg in t.Choice("an ESP cipher (des, 3des, blowfish, cast128, aes, twofish, camellia, null_enc, ...)", AlgorithmNames.Phase2Encryption)
            from keyLength in KeyLength(AlgorithmNames.KeyLengthRule(alg))
            select new CipherChoice<Phase2Encryption>(alg, keyLength);
        return t.Dispatch("sainfo section", new Dictionary<string, Func<SourceLocation, Parser<Func<SainfoConfig, SainfoConfig>>>>
        {
            ["pfs_group"] = at => Then(DhGroupValue(), g => (Func<SainfoConfig, SainfoConfig>)(s => s with { PfsGroup = g })),
            ["remoteid"] = at => Then(t.Number, n => (Func<SainfoConfig, SainfoConfig>)(s => s with { RemoteIdNumber = (uint)n })),
            ["lifetime"] = at => Lifetime("byte lifetime support is deprecated: use lifetime time N unit").Select(l => (Func<SainfoConfig, SainfoConfig>)(s => s with { Lifetime = l })),
            ["encryption_algorithm"] = at => Then(t.CommaList(cipher), list => (Func<SainfoConfig, SainfoConfig>)(s => s with { EncryptionAlgorithms = [.. s.EncryptionAlgorithms, .. list] })),
            ["authentication_algorithm"] = at => Then(t.CommaList(t.Choice("an authentication algorithm (hmac_md5, hmac_sha1, hmac_sha256, hmac_sha384, hmac_sha512, non_auth)", AlgorithmNames.Phase2Authentication)
                    .Check(a => a is Phase2Authentication.DesMac or Phase2Authentication.Kpdk ? $"{AlgorithmNames.Name(a)} is not usable with IPsec on Linux" : null)),
                list => (Func<SainfoConfig, SainfoConfig>)(s => s with { AuthenticationAlgorithms = [.. s.AuthenticationAlgorithms, .. list] })),
            ["compression_algorithm"] = at => Then(t.CommaList(t.Choice("a compression algorithm (deflate)", AlgorithmNames.Compression)),
                list => (Func<SainfoConfig, SainfoConfig>)(s => s with { CompressionAlgorithms = [.. s.CompressionAlgorithms, .. list] })),
        });
    }
}
