using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace KernelIpsec.Setkey.Dump.Kdebug;

/// <summary>
/// One PF_KEY message as ipsec-tools' <c>kdebug_sadb()</c> prints it (<c>setkey -v</c>, <c>-x</c>): the sadb_msg
/// header, then each extension's header and fields, numbers in the host's byte order except SPIs, ports and
/// addresses. Lengths print as on the wire (64-bit words), the policy id in hex. The reference's own diagnostics
/// for a malformed message are kept; where it would read past the message or exit, this stops with that
/// diagnostic instead. Extension types the reference does not know on Linux (X_SEC_CTX, X_FILTER) end the
/// listing with its "invalid ext_type" line, as there.
/// </summary>
public static class KdebugFormatter
{
    private const int MsgSize = 16;
    private const int WordBytes = 8;
    private const int CombSize = 72;
    private const ushort AfInet = 2;
    private const ushort AfInet6 = 10;
    private const ushort PolicyIpsec = 2;

    public static string Format(ReadOnlySpan<byte> message)
    {
        var o = new StringBuilder();
        var m = Padded(message, 0, MsgSize);
        o.Append(Inv($"sadb_msg{{ version={m[0]} type={m[1]} errno={m[2]} satype={m[3]}\n"));
        o.Append(Inv($"  len={U16(m, 4)} reserved={U16(m, 6)} seq={U32(m, 8)} pid={U32(m, 12)}\n"));

        // The walk follows sadb_msg_len as the reference does, but never past the bytes there are.
        var end = Math.Min(U16(m, 4) * WordBytes, message.Length);
        var at = MsgSize;
        while (at < end)
        {
            var header = Padded(message, at, 4);
            var words = U16(header, 0);
            var type = U16(header, 2);
            o.Append(Inv($"sadb_ext{{ len={words} type={type} }}\n"));
            if (words == 0)
                return o.Append("kdebug_sadb: invalid ext_len=0 was passed.\n").ToString();
            if (words * WordBytes > end - at)
                return o.Append("kdebug_sadb: ext_len exceeds end of buffer.\n").ToString();
            var ext = message.Slice(at, words * WordBytes);
            if (!Extension(o, type, ext))
                return o.ToString();
            at += ext.Length;
        }

        return o.ToString();
    }

    /// <summary>One extension; false when the reference stops the listing after it.</summary>
    private static bool Extension(StringBuilder o, ushort type, ReadOnlySpan<byte> ext)
    {
        switch (type)
        {
            case 1:
                Sa(o, ext);
                return true;
            case 2 or 3 or 4:
                Lifetime(o, ext);
                return true;
            case 5 or 6 or 7 or 23:
                Address(o, ext);
                return true;
            case 8 or 9:
                Key(o, ext);
                return true;
            case 10 or 11:
                Identity(o, ext, type);
                return true;
            case 12 or 16 or 17:
                return true; // SENSITIVITY, SPIRANGE, X_KMPRIVATE: the reference prints nothing for them
            case 13:
                Proposal(o, ext);
                return true;
            case 14 or 15:
                Supported(o, ext);
                return true;
            case 18:
                return Policy(o, ext);
            case 19:
                Sa2(o, ext);
                return true;
            case 20:
                o.Append(Inv($"sadb_x_nat_t_type{{ type={Padded(ext, 0, 8)[4]} }}\n"));
                return true;
            case 21 or 22:
                o.Append(Inv($"sadb_x_nat_t_port{{ port={BinaryPrimitives.ReadUInt16BigEndian(Padded(ext, 0, 8)[4..])} }}\n"));
                return true;
            case 25:
                return KmAddress(o, ext);
            default:
                o.Append(Inv($"kdebug_sadb: invalid ext_type {type} was passed.\n"));
                return false;
        }
    }

    private static void Sa(StringBuilder o, ReadOnlySpan<byte> ext)
    {
        var e = Padded(ext, 0, 16);
        o.Append(Inv($"sadb_sa{{ spi={BinaryPrimitives.ReadUInt32BigEndian(e[4..])} replay={e[8]} state={e[9]}\n"));
        o.Append(Inv($"  auth={e[10]} encrypt={e[11]} flags=0x{U32(e, 12):x8} }}\n"));
    }

    /// <summary>The reference prints each 64-bit counter truncated to 32 bits.</summary>
    private static void Lifetime(StringBuilder o, ReadOnlySpan<byte> ext)
    {
        var e = Padded(ext, 0, 32);
        o.Append(Inv($"sadb_lifetime{{ alloc={U32(e, 4)}, bytes={(uint)U64(e, 8)}\n"));
        o.Append(Inv($"  addtime={(uint)U64(e, 16)}, usetime={(uint)U64(e, 24)} }}\n"));
    }

    private static void Address(StringBuilder o, ReadOnlySpan<byte> ext)
    {
        var e = Padded(ext, 0, 8);
        o.Append(Inv($"sadb_address{{ proto={e[4]} prefixlen={e[5]} reserved=0x{e[6]:x2}{e[7]:x2} }}\n"));
        Sockaddr(o, ext.Length > 8 ? ext[8..] : []);
    }

    private static void Key(StringBuilder o, ReadOnlySpan<byte> ext)
    {
        var e = Padded(ext, 0, 8);
        var bits = U16(e, 4);
        o.Append(Inv($"sadb_key{{ bits={bits} reserved={U16(e, 6)}\n"));
        o.Append("  key=");
        var room = ext.Length - 8;
        if (bits >> 3 > room)
            o.Append(Inv($"kdebug_sadb_key: key length mismatch, bit:{bits >> 3} len:{room}.\n"));
        HexWords(o, ext[Math.Min(8, ext.Length)..][..Math.Min(bits >> 3, Math.Max(room, 0))]);
        o.Append(" }\n");
    }

    private static void Identity(StringBuilder o, ReadOnlySpan<byte> ext, ushort type)
    {
        var e = Padded(ext, 0, 16);
        o.Append(type == 10 ? "sadb_ident_src{" : "sadb_ident_dst{");
        o.Append(Inv($" type={U16(e, 4)} id={U64(e, 8)}"));
        if (ext.Length > 16)
        {
            o.Append("\n  str=\"");
            foreach (var c in ext[16..])
            {
                if (c == 0)
                    break;
                o.Append(c is >= 0x20 and < 0x7f ? ((char)c).ToString() : "\\" + Convert.ToString(c, 8).PadLeft(3, '0'));
            }

            o.Append('"');
        }

        o.Append(" }\n");
    }

    /// <summary>sadb_prop and its sadb_combs; the reference labels the time limits of its last line as allocations and bytes.</summary>
    private static void Proposal(StringBuilder o, ReadOnlySpan<byte> ext)
    {
        o.Append(Inv($"sadb_prop{{ replay={Padded(ext, 0, 8)[4]}\n"));
        for (var at = 8; at + CombSize <= ext.Length; at += CombSize)
        {
            var c = ext.Slice(at, CombSize);
            o.Append(Inv($"sadb_comb{{ auth={c[0]} encrypt={c[1]} flags=0x{U16(c, 2):x4} reserved=0x{U32(c, 12):x8}\n"));
            o.Append(Inv($"  auth_minbits={U16(c, 4)} auth_maxbits={U16(c, 6)} encrypt_minbits={U16(c, 8)} encrypt_maxbits={U16(c, 10)}\n"));
            o.Append(Inv($"  soft_alloc={U32(c, 16)} hard_alloc={U32(c, 20)} soft_bytes={U64(c, 24)} hard_bytes={U64(c, 32)}\n"));
            o.Append(Inv($"  soft_alloc={U64(c, 40)} hard_alloc={U64(c, 48)} soft_bytes={U64(c, 56)} hard_bytes={U64(c, 64)} }}\n"));
        }

        o.Append("}\n");
    }

    private static void Supported(StringBuilder o, ReadOnlySpan<byte> ext)
    {
        o.Append("sadb_sup{\n");
        for (var at = 8; at + 8 <= ext.Length; at += 8)
            o.Append(Inv($"  {{ id={ext[at]} ivlen={ext[at + 1]} min={U16(ext, at + 2)} max={U16(ext, at + 4)} }}\n"));
        o.Append("}\n");
    }

    private static bool Policy(StringBuilder o, ReadOnlySpan<byte> ext)
    {
        var e = Padded(ext, 0, 16);
        var type = U16(e, 4);
        o.Append(Inv($"sadb_x_policy{{ type={type} dir={e[6]} id={U32(e, 8):x} priority={U32(e, 12)} }}\n"));
        if (type != PolicyIpsec)
            return true;
        var rest = ext.Length > 16 ? ext[16..] : [];
        while (rest.Length > 0)
        {
            var r = Padded(rest, 0, 16);
            var len = U16(r, 0);
            o.Append(Inv($" {{ len={len} proto={U16(r, 2)} mode={r[4]} level={r[5]} reqid={U32(r, 8)}\n"));
            if (len > 16 && len <= rest.Length)
            {
                var size = Sockaddr(o, rest[16..len]);
                Sockaddr(o, rest[Math.Min(16 + size, len)..len]);
            }

            o.Append(" }\n");
            if (len == 0)
            {
                o.Append("kdebug_sadb_x_policy: wrong policy struct.\n");
                return false;
            }

            if (len > rest.Length)
            {
                o.Append("invalid ipsec policy length\n");
                return false;
            }

            rest = rest[len..];
        }

        return true;
    }

    private static void Sa2(StringBuilder o, ReadOnlySpan<byte> ext)
    {
        var e = Padded(ext, 0, 16);
        o.Append(Inv($"sadb_x_sa2{{ mode={e[4]} reqid={U32(e, 12)}\n"));
        o.Append(Inv($"  reserved1={e[5]} reserved2={U16(e, 6)} sequence={U32(e, 8)} }}\n"));
    }

    private static bool KmAddress(StringBuilder o, ReadOnlySpan<byte> ext)
    {
        var e = Padded(ext, 0, 8);
        o.Append(Inv($"sadb_x_kmaddress{{ reserved=0x{e[4]:x2}{e[5]:x2}{e[6]:x2}{e[7]:x2} }}\n"));
        var rest = ext.Length > 8 ? ext[8..] : [];
        if (rest.Length < 16 || SockaddrLength(rest) > rest.Length)
        {
            o.Append("kdebug_sadb_x_kmaddress: not enough data to read first sockaddr.\n");
            return false;
        }

        var family = U16(rest, 0);
        rest = rest[Sockaddr(o, rest)..];
        if (rest.Length < 16 || SockaddrLength(rest) > rest.Length)
        {
            o.Append("kdebug_sadb_x_kmaddress: not enough data to read second sockaddr.\n");
            return false;
        }

        Sockaddr(o, rest);
        if (family != U16(rest, 0))
            o.Append("kdebug_sadb_x_kmaddress:  !!!! Please, note the unexpected mismatch in address family.\n");
        return true;
    }

    /// <summary>kdebug_sockaddr; returns the sockaddr's length (Linux has no sa_len: 16, or 28 for IPv6).</summary>
    private static int Sockaddr(StringBuilder o, ReadOnlySpan<byte> span)
    {
        var s = Padded(span, 0, 28);
        var family = U16(s, 0);
        var length = family == AfInet6 ? 28 : 16;
        o.Append(Inv($"sockaddr{{ len={length} family={family}"));
        switch (family)
        {
            case AfInet:
                o.Append(Inv($" port={BinaryPrimitives.ReadUInt16BigEndian(s[2..])}\n"));
                HexWords(o, s.Slice(4, 4));
                break;
            case AfInet6:
                o.Append(Inv($" port={BinaryPrimitives.ReadUInt16BigEndian(s[2..])}\n"));
                o.Append(Inv($"  flowinfo=0x{U32(s, 4):x8}, scope_id=0x{U32(s, 24):x8}\n"));
                HexWords(o, s.Slice(8, 16));
                break;
        }

        o.Append("  }\n");
        return length;
    }

    private static int SockaddrLength(ReadOnlySpan<byte> span) => span.Length >= 2 && U16(span, 0) == AfInet6 ? 28 : 16;

    /// <summary>ipsec_hexdump: bytes as hex in groups of four, a space before each group, a newline every 32 bytes (none at the end).</summary>
    internal static void HexWords(StringBuilder o, ReadOnlySpan<byte> bytes)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            if (i != 0 && i % 32 == 0)
                o.Append('\n');
            if (i % 4 == 0)
                o.Append(' ');
            o.Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// The bytes from <paramref name="at"/>, at least <paramref name="minimum"/> of them: what lies past the end of
    /// the message reads as zeros (the reference would read whatever follows in its buffer).
    /// </summary>
    private static ReadOnlySpan<byte> Padded(ReadOnlySpan<byte> span, int at, int minimum)
    {
        var available = at < span.Length ? span[at..] : [];
        if (available.Length >= minimum)
            return available;
        var copy = new byte[minimum];
        available.CopyTo(copy);
        return copy;
    }

    // sadb fields are in the host's byte order.
    private static ushort U16(ReadOnlySpan<byte> s, int at) => MemoryMarshal.Read<ushort>(s[at..]);

    private static uint U32(ReadOnlySpan<byte> s, int at) => MemoryMarshal.Read<uint>(s[at..]);

    private static ulong U64(ReadOnlySpan<byte> s, int at) => MemoryMarshal.Read<ulong>(s[at..]);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
