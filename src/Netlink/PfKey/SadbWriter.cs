using System.Buffers.Binary;
using System.Net;
using System.Text;
using static KernelIpsec.Netlink.PfKey.PfKeyConstants;

namespace KernelIpsec.Netlink.PfKey;

/// <summary>
/// Builds one PF_KEY message: the sadb_msg header, then extensions in the order they are added, each zero-padded
/// to 64 bits with its length in words. <see cref="ToArray"/> fills in sadb_msg_len.
/// </summary>
internal sealed class SadbWriter
{
    private byte[] buffer = new byte[256];
    private int length;

    public SadbWriter(byte type, byte saType, uint sequence, uint pid)
    {
        var h = Reserve(SadbMsgSize);
        h[0] = PF_KEY_V2;
        h[1] = type;
        h[2] = 0; // errno
        h[3] = saType;
        HostOrder.Write32(h[8..], sequence);
        HostOrder.Write32(h[12..], pid);
    }

    public SadbWriter Sa(SadbSa sa)
    {
        var e = Extension(SADB_EXT_SA, SadbSaSize);
        BinaryPrimitives.WriteUInt32BigEndian(e[4..], sa.Spi);
        e[8] = sa.Replay;
        e[9] = sa.State;
        e[10] = sa.Auth;
        e[11] = sa.Encrypt;
        HostOrder.Write32(e[12..], sa.Flags);
        return this;
    }

    public SadbWriter Lifetime(ushort extType, SadbLifetime lifetime)
    {
        var e = Extension(extType, SadbLifetimeSize);
        HostOrder.Write32(e[4..], lifetime.Allocations);
        HostOrder.Write64(e[8..], lifetime.Bytes);
        HostOrder.Write64(e[16..], lifetime.AddTime);
        HostOrder.Write64(e[24..], lifetime.UseTime);
        return this;
    }

    public SadbWriter Address(ushort extType, SadbAddress address)
    {
        var e = Extension(extType, SadbAddressSize + Sockaddr.Size(address.Address.AddressFamily));
        e[4] = address.Proto;
        e[5] = address.PrefixLength;
        Sockaddr.Write(e[SadbAddressSize..], address.Address, address.Port);
        return this;
    }

    /// <summary>A key extension: sadb_key_bits is the key's length in bits; an empty key is a 0-bit extension.</summary>
    public SadbWriter Key(ushort extType, ReadOnlySpan<byte> key)
    {
        if (key.Length * 8 > ushort.MaxValue)
            throw new ArgumentException($"a key of {key.Length * 8} bits does not fit sadb_key_bits");
        var e = Extension(extType, SadbKeySize + key.Length);
        HostOrder.Write16(e[4..], (ushort)(key.Length * 8));
        key.CopyTo(e[SadbKeySize..]);
        return this;
    }

    public SadbWriter SpiRange(SadbSpiRange range)
    {
        var e = Extension(SADB_EXT_SPIRANGE, SadbSpirangeSize);
        HostOrder.Write32(e[4..], range.Min);
        HostOrder.Write32(e[8..], range.Max);
        return this;
    }

    public SadbWriter Sa2(SadbSa2 sa2)
    {
        var e = Extension(SADB_X_EXT_SA2, SadbXSa2Size);
        e[4] = sa2.Mode;
        HostOrder.Write32(e[8..], sa2.Sequence);
        HostOrder.Write32(e[12..], sa2.ReqId);
        return this;
    }

    /// <summary>sadb_x_policy followed by its ipsecrequests (each with its endpoints when it has them).</summary>
    public SadbWriter Policy(SadbPolicy policy)
    {
        var size = SadbXPolicySize;
        foreach (var r in policy.Requests)
            size += RequestSize(r);
        var e = Extension(SADB_X_EXT_POLICY, size);
        HostOrder.Write16(e[4..], policy.Type);
        e[6] = policy.Direction;
        HostOrder.Write32(e[8..], policy.Id);
        HostOrder.Write32(e[12..], policy.Priority);
        var at = SadbXPolicySize;
        foreach (var r in policy.Requests)
        {
            var rq = e.Slice(at, RequestSize(r));
            HostOrder.Write16(rq, (ushort)rq.Length);
            HostOrder.Write16(rq[2..], r.Proto);
            rq[4] = r.Mode;
            rq[5] = r.Level;
            HostOrder.Write32(rq[8..], r.ReqId);
            if (r.Source is { } source)
            {
                Sockaddr.Write(rq[SadbXIpsecrequestSize..], source, 0);
                Sockaddr.Write(rq[(SadbXIpsecrequestSize + Sockaddr.Size(source.AddressFamily))..], r.Destination!, 0);
            }

            at += rq.Length;
        }

        return this;
    }

    public SadbWriter NatTType(byte type)
    {
        var e = Extension(SADB_X_EXT_NAT_T_TYPE, SadbXNatTTypeSize);
        e[4] = type;
        return this;
    }

    /// <summary>X_NAT_T_SPORT / X_NAT_T_DPORT: the port in network order.</summary>
    public SadbWriter NatTPort(ushort extType, ushort port)
    {
        var e = Extension(extType, SadbXNatTPortSize);
        BinaryPrimitives.WriteUInt16BigEndian(e[4..], port);
        return this;
    }

    /// <summary>X_SEC_CTX (8 bytes: alg, doi, ctx_len counting the terminating NUL as setkey sends it), then the string.</summary>
    public SadbWriter SecurityContext(SadbSecCtx ctx)
    {
        var text = Encoding.UTF8.GetBytes(ctx.Context + "\0");
        var e = Extension(SADB_X_EXT_SEC_CTX, SadbXSecCtxSize + text.Length);
        e[4] = ctx.Algorithm;
        e[5] = ctx.Doi;
        HostOrder.Write16(e[6..], (ushort)text.Length);
        text.CopyTo(e[SadbXSecCtxSize..]);
        return this;
    }

    public byte[] ToArray()
    {
        var words = length / WordBytes;
        if (words > ushort.MaxValue)
            throw new ArgumentException($"PF_KEY message of {length} bytes exceeds the 16-bit word count of sadb_msg_len");
        HostOrder.Write16(buffer.AsSpan(4), (ushort)words);
        return buffer.AsSpan(0, length).ToArray();
    }

    private static int RequestSize(SadbIpsecRequest r) =>
        SadbXIpsecrequestSize + (r.Source is null ? 0 : 2 * Sockaddr.Size(r.Source.AddressFamily));

    /// <summary>Reserves an aligned, zeroed extension of <paramref name="size"/> bytes with its sadb_ext header filled in.</summary>
    private Span<byte> Extension(ushort type, int size)
    {
        var aligned = Align(size);
        if (aligned / WordBytes > ushort.MaxValue)
            throw new ArgumentException($"PF_KEY extension {type} of {size} bytes is too long");
        var e = Reserve(aligned);
        HostOrder.Write16(e, (ushort)(aligned / WordBytes));
        HostOrder.Write16(e[2..], type);
        return e;
    }

    private Span<byte> Reserve(int bytes)
    {
        if (length + bytes > buffer.Length)
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + bytes));
        var span = buffer.AsSpan(length, bytes);
        span.Clear();
        length += bytes;
        return span;
    }
}
