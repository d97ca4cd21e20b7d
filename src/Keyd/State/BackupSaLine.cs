using System.Globalization;
using System.Net;
using System.Text;
using KernelIpsec.Netlink;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.Model.Algorithms;

namespace KernelIpsec.Keyd.State;

/// <summary>
/// One line of racoon's `path backupsa` file (backupsa.c), so files move between ipsec-tools' racoon and
/// this one: the creation time as <c>strftime("%b %d %T %Y")</c> in local time, <c>%</c>, then
/// <c>src dst satype spi mode reqid wsize e_type e_keylen a_type a_keylen flags l_alloc l_bytes l_addtime
/// l_usetime seq keymat</c>: PF_KEY numbers (SADB_SATYPE_*, IPSEC_MODE_*, SADB_EALG_*/SADB_X_CALG_*,
/// SADB_AALG_*), decimal, key lengths in bytes, the hard lifetime, and the encryption key followed by the
/// authentication key in hex (a space after every 8 bytes). The keys are secrets: the file is 0600.
/// <para>
/// racoon's line has no field for NAT-T (backupsa_to_file writes none of pfkey_send_sa_args' l_natt_* fields), and its
/// reader cannot take one: the two addresses go through getaddrinfo (no <c>addr[port]</c>) and everything after the
/// sequence number must be hex key material. It does skip lines that start with <c>#</c>. So a UDP-encapsulated SA is
/// written as a comment line <c>#nat_t TYPE SPORT DPORT [OA]</c> (the PF_KEY NAT_T_TYPE, NAT_T_SPORT/DPORT and NAT_T_OA
/// values, decimal) followed by its ordinary line: this racoon restores the encapsulation; ipsec-tools' racoon
/// restores the SA without it, as it would have from its own file.
/// </para>
/// </summary>
public sealed record BackupSaLine(DateTimeOffset Created, SecurityAssociation Sa)
{
    private const int SatypeAh = 2;
    private const int SatypeEsp = 3;
    private const int SatypeIpComp = 9;
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>The comment that carries a NAT-T SA's encapsulation, in front of its line.</summary>
    public const string NatTraversalPrefix = "#nat_t ";

    /// <summary>
    /// The text for <see cref="Sa"/>: its line, after its <see cref="NatTraversalPrefix"/> comment line when it is UDP
    /// encapsulated; null when the format cannot carry it (a security context, an algorithm without a PF_KEY number).
    /// </summary>
    public string? Format(TimeZoneInfo zone)
    {
        var sa = Sa;
        if (sa.SecurityContext is not null)
            return null;
        var satype = sa.Id.Protocol switch
        {
            IpsecProtocol.Ah => SatypeAh,
            IpsecProtocol.Esp => SatypeEsp,
            _ => SatypeIpComp,
        };
        var mode = sa.Mode switch
        {
            IpsecMode.Transport => 1,
            IpsecMode.Tunnel => 2,
            _ => 0,
        };
        var cipher = sa.Aead ?? sa.Encryption ?? sa.Compression;
        var integrity = sa.Authentication;
        if ((cipher is not null && cipher.Algorithm.SadbId is null) || (integrity is not null && integrity.Algorithm.SadbId is null))
            return null;
        var encryptionKey = sa.Compression is null ? cipher?.Key ?? ReadOnlyMemory<byte>.Empty : ReadOnlyMemory<byte>.Empty;
        var authenticationKey = integrity?.Key ?? ReadOnlyMemory<byte>.Empty;
        var local = TimeZoneInfo.ConvertTime(Created, zone);
        var text = new StringBuilder();
        if (sa.NatTraversal is { } nat)
        {
            text.Append(CultureInfo.InvariantCulture, $"{NatTraversalPrefix}{(int)nat.Type} {nat.SourcePort} {nat.DestinationPort}");
            if (nat.OriginalAddress is { } oa)
                text.Append(' ').Append(oa);
            text.Append('\n');
        }
        text.Append(CultureInfo.InvariantCulture, $"{Months[local.Month - 1]} {local.Day:00} {local:HH:mm:ss} {local.Year:0000}%");
        text.Append(CultureInfo.InvariantCulture, $"{sa.Id.Source} {sa.Id.Destination} {satype} {sa.Id.Spi} {mode} {sa.ReqId} {sa.ReplayWindow} ");
        text.Append(CultureInfo.InvariantCulture, $"{cipher?.Algorithm.SadbId ?? 0} {encryptionKey.Length} {integrity?.Algorithm.SadbId ?? 0} {authenticationKey.Length} 0 ");
        text.Append(CultureInfo.InvariantCulture, $"{sa.Lifetime.Hard.Packets} {sa.Lifetime.Hard.Bytes} {sa.Lifetime.Hard.AddSeconds} {sa.Lifetime.Hard.UseSeconds} 0 ");
        text.Append(Hex([.. encryptionKey.Span, .. authenticationKey.Span]));
        return text.ToString();
    }

    /// <summary>racoon's val2str: lower-case hex, a space after every 8th byte.</summary>
    private static string Hex(byte[] key)
    {
        var text = new StringBuilder();
        for (var i = 0; i < key.Length; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{key[i]:x2}");
            if (i % 8 == 7)
                text.Append(' ');
        }
        return text.ToString();
    }

    /// <summary>Parses one line; throws <see cref="FormatException"/> naming the field that is wrong.</summary>
    /// <param name="kernel">The interface the SA goes in over: its ICV lengths, as the daemon installs them (XFRM's if null).</param>
    public static BackupSaLine Parse(string line, TimeZoneInfo zone, KernelCapabilities? kernel = null)
    {
        var percent = line.IndexOf('%', StringComparison.Ordinal);
        if (percent < 0)
            throw new FormatException("no '%' after the time");
        var created = ParseTime(line[..percent], zone);
        var fields = line[(percent + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 17)
            throw new FormatException($"{fields.Length} fields after the time, need 17 and the keys");
        var source = Address(fields[0], "source address");
        var destination = Address(fields[1], "destination address");
        var satype = Number(fields[2], "satype");
        var protocol = satype switch
        {
            SatypeAh => IpsecProtocol.Ah,
            SatypeEsp => IpsecProtocol.Esp,
            SatypeIpComp => IpsecProtocol.IpComp,
            _ => throw new FormatException($"satype {satype} is not AH (2), ESP (3) or IPCOMP (9)"),
        };
        var spi = (uint)Number(fields[3], "spi");
        var mode = Number(fields[4], "mode") switch
        {
            0 => IpsecMode.Any,
            1 => IpsecMode.Transport,
            2 => IpsecMode.Tunnel,
            var m => throw new FormatException($"mode {m} is not any (0), transport (1) or tunnel (2)"),
        };
        var reqid = (uint)Number(fields[5], "reqid");
        var window = (uint)Number(fields[6], "wsize");
        var encryptionType = (int)Number(fields[7], "e_type");
        var encryptionKeyLength = (int)Number(fields[8], "e_keylen");
        var authenticationType = (int)Number(fields[9], "a_type");
        var authenticationKeyLength = (int)Number(fields[10], "a_keylen");
        var hard = new LifetimeLimits(Packets: Number(fields[12], "l_alloc"), Bytes: Number(fields[13], "l_bytes"),
            AddSeconds: Number(fields[14], "l_addtime"), UseSeconds: Number(fields[15], "l_usetime"));
        var keys = Convert.FromHexString(KeyText(fields.Skip(17)));
        if (keys.Length != encryptionKeyLength + authenticationKeyLength)
            throw new FormatException($"keymat has {keys.Length} bytes, e_keylen + a_keylen say {encryptionKeyLength + authenticationKeyLength}");

        var sa = new SecurityAssociation(source, destination, protocol, spi)
        {
            Mode = mode,
            ReqId = reqid,
            ReplayWindow = window,
            Lifetime = new Lifetime(null, hard),
        };
        if (protocol == IpsecProtocol.IpComp)
        {
            var compression = AlgorithmRegistry.FromSadbId(AlgorithmKind.Compression, encryptionType) ?? throw new FormatException($"unknown compression algorithm {encryptionType}");
            return new BackupSaLine(created, sa with { Compression = SaAlgorithm.WithoutKey(compression) });
        }
        if (encryptionType != 0)
        {
            var cipher = AlgorithmRegistry.FromSadbId(AlgorithmKind.Encryption, encryptionType) ?? throw new FormatException($"unknown encryption algorithm {encryptionType}");
            var key = new SaAlgorithm(cipher, keys.AsSpan(0, encryptionKeyLength));
            sa = cipher.Kind == AlgorithmKind.Aead ? sa with { Aead = key } : sa with { Encryption = key };
        }
        if (authenticationType != 0)
        {
            var integrity = AlgorithmRegistry.FromSadbId(AlgorithmKind.Authentication, authenticationType) ?? throw new FormatException($"unknown authentication algorithm {authenticationType}");
            sa = sa with { Authentication = new SaAlgorithm(integrity, keys.AsSpan(encryptionKeyLength), (kernel ?? KernelCapabilities.Xfrm).IcvBitsFor(integrity)) };
        }
        return new BackupSaLine(created, sa);
    }

    /// <summary>The encapsulation a <see cref="NatTraversalPrefix"/> comment line gives the SA line after it; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static NatTraversal ParseNatTraversal(string line)
    {
        if (!line.StartsWith(NatTraversalPrefix, StringComparison.Ordinal))
            throw new FormatException($"not a {NatTraversalPrefix.Trim()} line");
        var fields = line[NatTraversalPrefix.Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is < 3 or > 4)
            throw new FormatException($"{NatTraversalPrefix.Trim()}: {fields.Length} fields, need type, source port, destination port and an optional original address");
        var type = Number(fields[0], "NAT-T type");
        if (!Enum.IsDefined((EncapsulationType)Math.Min(type, ushort.MaxValue)))
            throw new FormatException($"NAT-T type {type} is not ESP in UDP (2) or non-IKE (1)");
        return new NatTraversal((EncapsulationType)type, Port(fields[1], "NAT-T source port"), Port(fields[2], "NAT-T destination port"),
            fields.Length == 4 ? Address(fields[3], "NAT-T original address") : null);
    }

    private static ushort Port(string text, string what)
    {
        var value = Number(text, what);
        return value <= ushort.MaxValue ? (ushort)value : throw new FormatException($"{what} {value} is not a UDP port");
    }

    /// <summary>
    /// What -B installs: null when the SA's time ran out (racoon: "ignore this line ... due to expiration"),
    /// else the SA with the time it has left as its hard lifetime and the daemon's 80 % soft lifetime. An SA
    /// without a time limit is restored as it is (racoon's arithmetic skips those).
    /// </summary>
    public SecurityAssociation? Remaining(DateTimeOffset now)
    {
        var hard = Sa.Lifetime.Hard;
        var age = (long)Math.Floor((now - Created).TotalSeconds);
        if (hard.AddSeconds != 0 && (long)hard.AddSeconds - Math.Max(age, 0) <= 0)
            return null;
        var left = hard.AddSeconds == 0 ? 0 : (ulong)((long)hard.AddSeconds - Math.Max(age, 0));
        var remaining = hard with { AddSeconds = left };
        var soft = new LifetimeLimits(SoftLifetime.Of(remaining.Bytes), SoftLifetime.Of(remaining.Packets), SoftLifetime.Of(remaining.AddSeconds), SoftLifetime.Of(remaining.UseSeconds));
        return Sa with { Lifetime = new Lifetime(soft, remaining) };
    }

    private static string KeyText(IEnumerable<string> words)
    {
        // Empty for IPComp, which has no key (racoon's str2val refuses an empty keymat, so racoon could not restore those).
        var hex = string.Concat(words);
        if (hex.Length % 2 != 0 || !hex.All(char.IsAsciiHexDigit))
            throw new FormatException("keymat is not an even number of hex digits");
        return hex;
    }

    private static DateTimeOffset ParseTime(string text, TimeZoneInfo zone)
    {
        // str2tmx: "Nov 24 18:22:48 1986", two-digit day, hour, minute and second, four-digit year.
        if (text.Length != 20 || text[3] != ' ' || text[6] != ' ' || text[9] != ':' || text[12] != ':' || text[15] != ' ')
            throw new FormatException($"time \"{text}\" is not like \"Nov 24 18:22:48 1986\"");
        var month = Array.FindIndex(Months, m => m.Equals(text[..3], StringComparison.OrdinalIgnoreCase)) + 1;
        if (month == 0 || !int.TryParse(text.AsSpan(4, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            || !int.TryParse(text.AsSpan(7, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hour)
            || !int.TryParse(text.AsSpan(10, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minute)
            || !int.TryParse(text.AsSpan(13, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var second)
            || !int.TryParse(text.AsSpan(16, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year))
        {
            throw new FormatException($"time \"{text}\" is not like \"Nov 24 18:22:48 1986\"");
        }

        DateTime local;
        try
        {
            local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new FormatException($"time \"{text}\" is not a date");
        }
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static IPAddress Address(string text, string what) =>
        IPAddress.TryParse(text, out var address) ? address : throw new FormatException($"{what} \"{text}\" is not a numeric address");

    private static ulong Number(string text, string what) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : throw new FormatException($"{what} \"{text}\" is not a decimal number");
}
