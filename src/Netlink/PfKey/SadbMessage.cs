using System.Buffers.Binary;
using System.Text;
using static KernelIpsec.Netlink.PfKey.PfKeyConstants;

namespace KernelIpsec.Netlink.PfKey;

/// <summary>
/// One PF_KEY message as read from the socket: the header and where each extension lies. Checked on parse the
/// way af_key checks what it receives: version 2, sadb_msg_len matching the datagram, every extension inside
/// the message, no extension twice. Extension types this code does not know are kept out of the way.
/// Readers for each extension return the wire values (<see cref="SadbSa"/>, …) and name the field on error.
/// </summary>
internal sealed class SadbMessage
{
    private readonly byte[] bytes;
    private readonly (int Offset, int Length)[] extensions = new (int, int)[SADB_EXT_MAX + 1];

    private SadbMessage(byte[] bytes, SadbHeader header)
    {
        this.bytes = bytes;
        Header = header;
    }

    public SadbHeader Header { get; }

    /// <summary>The message as received (for the promiscuous monitor and logs).</summary>
    public ReadOnlyMemory<byte> Bytes => bytes;

    public string Name => MessageName(Header.Type);

    public static SadbHeader ReadHeader(ReadOnlySpan<byte> span)
    {
        if (span.Length < SadbMsgSize)
            throw new PfKeyFormatException($"sadb_msg needs {SadbMsgSize} bytes, the datagram has {span.Length}");
        return new SadbHeader(span[0], span[1], span[2], span[3], HostOrder.Read16(span[4..]), HostOrder.Read16(span[6..]),
            HostOrder.Read32(span[8..]), HostOrder.Read32(span[12..]));
    }

    /// <summary>Parses one datagram (copied, so the receive buffer can be reused).</summary>
    public static SadbMessage Parse(ReadOnlySpan<byte> datagram)
    {
        var header = ReadHeader(datagram);
        if (header.Version != PF_KEY_V2)
            throw new PfKeyFormatException($"sadb_msg_version {header.Version} is not PF_KEY_V2 (2)");
        if (header.LengthWords * WordBytes != datagram.Length)
            throw new PfKeyFormatException($"sadb_msg_len {header.LengthWords} words ({header.LengthWords * WordBytes} bytes) does not match the {datagram.Length}-byte datagram");
        var message = new SadbMessage(datagram.ToArray(), header);
        var at = SadbMsgSize;
        while (at < datagram.Length)
        {
            if (datagram.Length - at < 4)
                throw new PfKeyFormatException($"{message.Name}: {datagram.Length - at} stray bytes after the last extension");
            var words = HostOrder.Read16(datagram[at..]);
            var type = HostOrder.Read16(datagram[(at + 2)..]);
            var size = words * WordBytes;
            if (words == 0)
                throw new PfKeyFormatException($"{message.Name}: extension type {type} at byte {at} has sadb_ext_len 0");
            if (at + size > datagram.Length)
                throw new PfKeyFormatException($"{message.Name}: extension type {type} at byte {at} ({size} bytes) runs past the {datagram.Length}-byte message");
            if (type is > 0 and <= SADB_EXT_MAX)
            {
                if (message.extensions[type].Length != 0)
                    throw new PfKeyFormatException($"{message.Name}: extension type {type} appears twice");
                message.extensions[type] = (at, size);
            }

            at += size;
        }

        return message;
    }

    public bool Has(ushort type) => type <= SADB_EXT_MAX && extensions[type].Length != 0;

    /// <summary>The whole extension (sadb_ext header included), or empty when absent.</summary>
    public ReadOnlySpan<byte> Extension(ushort type) =>
        Has(type) ? bytes.AsSpan(extensions[type].Offset, extensions[type].Length) : [];

    public SadbSa? Sa()
    {
        var e = Fixed(SADB_EXT_SA, SadbSaSize, "sadb_sa");
        return e.IsEmpty ? null : new SadbSa(BinaryPrimitives.ReadUInt32BigEndian(e[4..]), e[8], e[9], e[10], e[11], HostOrder.Read32(e[12..]));
    }

    public SadbLifetime? Lifetime(ushort type)
    {
        var e = Fixed(type, SadbLifetimeSize, "sadb_lifetime");
        return e.IsEmpty ? null : new SadbLifetime(HostOrder.Read32(e[4..]), HostOrder.Read64(e[8..]), HostOrder.Read64(e[16..]), HostOrder.Read64(e[24..]));
    }

    public SadbAddress? Address(ushort type)
    {
        var e = Fixed(type, SadbAddressSize + 2, "sadb_address");
        if (e.IsEmpty)
            return null;
        var (address, port, _) = Sockaddr.Read(e[SadbAddressSize..], $"{Name} address extension {type}");
        var max = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        if (e[5] > max)
            throw new PfKeyFormatException($"{Name} address extension {type}: prefix length {e[5]} exceeds {max}");
        return new SadbAddress(e[4], e[5], address, port);
    }

    /// <summary>The key bytes of KEY_AUTH / KEY_ENCRYPT (sadb_key_bits rounded up to bytes), or null when absent.</summary>
    public byte[]? Key(ushort type)
    {
        var e = Fixed(type, SadbKeySize, "sadb_key");
        if (e.IsEmpty)
            return null;
        var bits = HostOrder.Read16(e[4..]);
        var keyBytes = (bits + 7) / 8;
        if (SadbKeySize + keyBytes > e.Length)
            throw new PfKeyFormatException($"{Name} key extension {type}: sadb_key_bits {bits} runs past the {e.Length}-byte extension");
        return e.Slice(SadbKeySize, keyBytes).ToArray();
    }

    public SadbSpiRange? SpiRange()
    {
        var e = Fixed(SADB_EXT_SPIRANGE, SadbSpirangeSize, "sadb_spirange");
        return e.IsEmpty ? null : new SadbSpiRange(HostOrder.Read32(e[4..]), HostOrder.Read32(e[8..]));
    }

    public SadbSa2? Sa2()
    {
        var e = Fixed(SADB_X_EXT_SA2, SadbXSa2Size, "sadb_x_sa2");
        return e.IsEmpty ? null : new SadbSa2(e[4], HostOrder.Read32(e[8..]), HostOrder.Read32(e[12..]));
    }

    public SadbPolicy? Policy()
    {
        var e = Fixed(SADB_X_EXT_POLICY, SadbXPolicySize, "sadb_x_policy");
        if (e.IsEmpty)
            return null;
        var requests = new List<SadbIpsecRequest>();
        var rest = e[SadbXPolicySize..];
        while (rest.Length >= SadbXIpsecrequestSize)
        {
            var len = HostOrder.Read16(rest);
            if (len < SadbXIpsecrequestSize || len > rest.Length)
                throw new PfKeyFormatException($"{Name} sadb_x_ipsecrequest #{requests.Count + 1}: length {len} is outside {SadbXIpsecrequestSize}..{rest.Length}");
            var rq = rest[..len];
            System.Net.IPAddress? source = null, destination = null;
            if (len > SadbXIpsecrequestSize)
            {
                var what = $"{Name} sadb_x_ipsecrequest #{requests.Count + 1}";
                var (s, _, size) = Sockaddr.Read(rq[SadbXIpsecrequestSize..], what + " source");
                (destination, _, _) = Sockaddr.Read(rq[(SadbXIpsecrequestSize + size)..], what + " destination");
                source = s;
                if (source.AddressFamily != destination.AddressFamily)
                    throw new PfKeyFormatException($"{what}: endpoints {source} and {destination} are of different families");
            }

            requests.Add(new SadbIpsecRequest(HostOrder.Read16(rq[2..]), rq[4], rq[5], HostOrder.Read32(rq[8..]), source, destination));
            rest = rest[len..];
        }

        return new SadbPolicy(HostOrder.Read16(e[4..]), e[6], HostOrder.Read32(e[8..]), HostOrder.Read32(e[12..]), requests);
    }

    public byte? NatTType()
    {
        var e = Fixed(SADB_X_EXT_NAT_T_TYPE, SadbXNatTTypeSize, "sadb_x_nat_t_type");
        return e.IsEmpty ? null : e[4];
    }

    public ushort? NatTPort(ushort type)
    {
        var e = Fixed(type, SadbXNatTPortSize, "sadb_x_nat_t_port");
        return e.IsEmpty ? null : BinaryPrimitives.ReadUInt16BigEndian(e[4..]);
    }

    public SadbSecCtx? SecurityContext()
    {
        var e = Fixed(SADB_X_EXT_SEC_CTX, SadbXSecCtxSize, "sadb_x_sec_ctx");
        if (e.IsEmpty)
            return null;
        var length = HostOrder.Read16(e[6..]);
        if (SadbXSecCtxSize + length > e.Length)
            throw new PfKeyFormatException($"{Name} sadb_x_sec_ctx: ctx_len {length} runs past the {e.Length}-byte extension");
        var text = e.Slice(SadbXSecCtxSize, length);
        var nul = text.IndexOf((byte)0);
        return new SadbSecCtx(e[5], e[4], Encoding.UTF8.GetString(nul < 0 ? text : text[..nul]));
    }

    /// <summary>The algorithms of a SUPPORTED_AUTH / SUPPORTED_ENCRYPT extension (REGISTER reply).</summary>
    public IReadOnlyList<SadbSupportedAlgorithm> Supported(ushort type)
    {
        var e = Fixed(type, SadbSupportedSize, "sadb_supported");
        var list = new List<SadbSupportedAlgorithm>();
        for (var at = SadbSupportedSize; at + SadbAlgSize <= e.Length; at += SadbAlgSize)
            list.Add(new SadbSupportedAlgorithm(e[at], e[at + 1], HostOrder.Read16(e[(at + 2)..]), HostOrder.Read16(e[(at + 4)..])));
        return list;
    }

    private ReadOnlySpan<byte> Fixed(ushort type, int minimum, string name)
    {
        var e = Extension(type);
        if (!e.IsEmpty && e.Length < minimum)
            throw new PfKeyFormatException($"{Name}: {name} (extension {type}) needs {minimum} bytes, has {e.Length}");
        return e;
    }
}
