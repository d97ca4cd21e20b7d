using System.Buffers.Binary;
using System.Net;
using System.Text;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.Model.Algorithms;
using KernelIpsec.Netlink.PfKey;
using KernelIpsec.Setkey.Dump.Kdebug;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Setkey;

/// <summary>
/// ipsec-tools' kdebug_sadb() format (setkey -v/-x) from PF_KEY messages built here byte by byte, independently
/// of the product's writer; and the writer's messages for the same entries are those bytes.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class KdebugFormatterTests
{
    private static readonly byte[] DesKey = Encoding.ASCII.GetBytes("123456789012123456789012");
    private static readonly byte[] Md5Key = Encoding.ASCII.GetBytes("1234567890123456");

    /// <summary>setkey's `add 10.0.0.1 10.0.0.2 esp 0x100 -E 3des-cbc … -A hmac-md5 …` as it sends it.</summary>
    private static byte[] AddEspMessage() => new Sadb(type: 3, satype: 3, seq: 0, pid: 4242)
        .Key(9, DesKey)
        .Key(8, Md5Key)
        .Sa(spi: 0x100, replay: 0, state: 0, auth: 2, encrypt: 3, flags: 0x40)
        .Sa2(mode: 0, reqid: 0)
        .Address(5, proto: 255, prefix: 32, "10.0.0.1")
        .Address(6, proto: 255, prefix: 32, "10.0.0.2")
        .ToArray();

    private const string AddEspText = """
        sadb_msg{ version=2 type=3 errno=0 satype=3
          len=19 reserved=0 seq=0 pid=4242
        sadb_ext{ len=4 type=9 }
        sadb_key{ bits=192 reserved=0
          key= 31323334 35363738 39303132 31323334 35363738 39303132 }
        sadb_ext{ len=3 type=8 }
        sadb_key{ bits=128 reserved=0
          key= 31323334 35363738 39303132 33343536 }
        sadb_ext{ len=2 type=1 }
        sadb_sa{ spi=256 replay=0 state=0
          auth=2 encrypt=3 flags=0x00000040 }
        sadb_ext{ len=2 type=19 }
        sadb_x_sa2{ mode=0 reqid=0
          reserved1=0 reserved2=0 sequence=0 }
        sadb_ext{ len=3 type=5 }
        sadb_address{ proto=255 prefixlen=32 reserved=0x0000 }
        sockaddr{ len=16 family=2 port=0
         0a000001  }
        sadb_ext{ len=3 type=6 }
        sadb_address{ proto=255 prefixlen=32 reserved=0x0000 }
        sockaddr{ len=16 family=2 port=0
         0a000002  }

        """;

    /// <summary>ADDRESS_SRC/DST as af_key writes an SA's endpoints: upper protocol 0, full prefix.</summary>
    private const string KernelAddresses = """
        sadb_ext{ len=3 type=5 }
        sadb_address{ proto=0 prefixlen=32 reserved=0x0000 }
        sockaddr{ len=16 family=2 port=0
         0a4d0001  }
        sadb_ext{ len=3 type=6 }
        sadb_address{ proto=0 prefixlen=32 reserved=0x0000 }
        sockaddr{ len=16 family=2 port=0
         0a4d0002  }
        """;

    [Test]
    public void SaAddWithKeys() => Assert.That(KdebugFormatter.Format(AddEspMessage()), Is.EqualTo(AddEspText));

    [Test]
    public void TheWriterSendsTheseBytesForTheSameSa()
    {
        var sa = new SecurityAssociation(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2"), IpsecProtocol.Esp, 0x100)
        {
            Encryption = new SaAlgorithm(AlgorithmRegistry.Get(AlgorithmKind.Encryption, "3des-cbc"), DesKey),
            Authentication = new SaAlgorithm(AlgorithmRegistry.Get(AlgorithmKind.Authentication, "hmac-md5"), Md5Key),
        };
        Assert.That(SadbWire.AddSaRequest(sa, update: false, 0, 4242), Is.EqualTo(AddEspMessage()));
    }

    /// <summary>The example of ipsec-tools-behaviour.md §3.5: an SPDADD with a tunnel request and its endpoints.</summary>
    [Test]
    public void PolicyWithIpsecRequestAndEndpoints()
    {
        var message = new Sadb(type: 14, satype: 0, seq: 0, pid: 24202)
            .Policy(type: 2, dir: 2, id: 0, priority: 2147483648, Request(proto: 50, mode: 2, level: 2, reqid: 0, "192.168.1.10", "192.168.1.20"))
            .Address(5, proto: 255, prefix: 16, "10.1.0.0")
            .Address(6, proto: 255, prefix: 16, "10.2.0.0")
            .ToArray();
        Assert.That(KdebugFormatter.Format(message), Is.EqualTo("""
            sadb_msg{ version=2 type=14 errno=0 satype=0
              len=16 reserved=0 seq=0 pid=24202
            sadb_ext{ len=8 type=18 }
            sadb_x_policy{ type=2 dir=2 id=0 priority=2147483648 }
             { len=48 proto=50 mode=2 level=2 reqid=0
            sockaddr{ len=16 family=2 port=0
             c0a8010a  }
            sockaddr{ len=16 family=2 port=0
             c0a80114  }
             }
            sadb_ext{ len=3 type=5 }
            sadb_address{ proto=255 prefixlen=16 reserved=0x0000 }
            sockaddr{ len=16 family=2 port=0
             0a010000  }
            sadb_ext{ len=3 type=6 }
            sadb_address{ proto=255 prefixlen=16 reserved=0x0000 }
            sockaddr{ len=16 family=2 port=0
             0a020000  }

            """));
    }

    /// <summary>An ACQUIRE as af_key sends it: endpoints, the policy by index (printed in hex), one proposal.</summary>
    [Test]
    public void Acquire()
    {
        var comb = new byte[72];
        comb[0] = 2; // auth
        comb[1] = 12; // encrypt
        BinaryPrimitives.WriteUInt16LittleEndian(comb.AsSpan(4), 128);
        BinaryPrimitives.WriteUInt16LittleEndian(comb.AsSpan(6), 128);
        BinaryPrimitives.WriteUInt16LittleEndian(comb.AsSpan(8), 128);
        BinaryPrimitives.WriteUInt16LittleEndian(comb.AsSpan(10), 256);
        BinaryPrimitives.WriteUInt64LittleEndian(comb.AsSpan(48), 28800); // hard addtime
        var message = new Sadb(type: 6, satype: 3, seq: 5, pid: 0)
            .Address(5, proto: 0, prefix: 32, "10.77.0.1")
            .Address(6, proto: 0, prefix: 32, "10.77.0.2")
            .Policy(type: 2, dir: 2, id: 0x1a1, priority: 2147483648)
            .Extension(13, [32, 0, 0, 0, .. comb]) // sadb_prop: replay 32
            .ToArray();
        Assert.That(KdebugFormatter.Format(message), Is.EqualTo($$"""
            sadb_msg{ version=2 type=6 errno=0 satype=3
              len=20 reserved=0 seq=5 pid=0
            {{KernelAddresses}}
            sadb_ext{ len=2 type=18 }
            sadb_x_policy{ type=2 dir=2 id=1a1 priority=2147483648 }
            sadb_ext{ len=10 type=13 }
            sadb_prop{ replay=32
            sadb_comb{ auth=2 encrypt=12 flags=0x0000 reserved=0x00000000
              auth_minbits=128 auth_maxbits=128 encrypt_minbits=128 encrypt_maxbits=256
              soft_alloc=0 hard_alloc=0 soft_bytes=0 hard_bytes=0
              soft_alloc=0 hard_alloc=28800 soft_bytes=0 hard_bytes=0 }
            }

            """));
    }

    /// <summary>A soft EXPIRE: the SA dying, its soft limits and current counters (64-bit values printed as 32 bits).</summary>
    [Test]
    public void Expire()
    {
        var message = new Sadb(type: 8, satype: 2, seq: 0, pid: 0)
            .Sa(spi: 0xc0ffee, replay: 32, state: 2, auth: 3, encrypt: 0, flags: 0)
            .Lifetime(4, allocations: 0, bytes: 0, addtime: 60, usetime: 0)
            .Lifetime(2, allocations: 7, bytes: 0x1_0000_0400, addtime: 1795438199, usetime: 1795438200)
            .Address(5, proto: 0, prefix: 32, "10.77.0.1")
            .Address(6, proto: 0, prefix: 32, "10.77.0.2")
            .ToArray();
        Assert.That(KdebugFormatter.Format(message), Is.EqualTo($$"""
            sadb_msg{ version=2 type=8 errno=0 satype=2
              len=18 reserved=0 seq=0 pid=0
            sadb_ext{ len=2 type=1 }
            sadb_sa{ spi=12648430 replay=32 state=2
              auth=3 encrypt=0 flags=0x00000000 }
            sadb_ext{ len=4 type=4 }
            sadb_lifetime{ alloc=0, bytes=0
              addtime=60, usetime=0 }
            sadb_ext{ len=4 type=2 }
            sadb_lifetime{ alloc=7, bytes=1024
              addtime=1795438199, usetime=1795438200 }
            {{KernelAddresses}}

            """));
    }

    /// <summary>IPv6: sockaddr_in6 with its flow label and scope, the address in four groups.</summary>
    [Test]
    public void Ipv6Addresses()
    {
        var message = new Sadb(type: 4, satype: 3, seq: 0, pid: 4242)
            .Sa(spi: 0x1000, replay: 0, state: 0, auth: 0, encrypt: 0, flags: 0x40)
            .Address(5, proto: 255, prefix: 128, "fd77::1")
            .Address(6, proto: 255, prefix: 128, "fe80::2%3", port: 500)
            .ToArray();
        Assert.That(KdebugFormatter.Format(message), Is.EqualTo("""
            sadb_msg{ version=2 type=4 errno=0 satype=3
              len=14 reserved=0 seq=0 pid=4242
            sadb_ext{ len=2 type=1 }
            sadb_sa{ spi=4096 replay=0 state=0
              auth=0 encrypt=0 flags=0x00000040 }
            sadb_ext{ len=5 type=5 }
            sadb_address{ proto=255 prefixlen=128 reserved=0x0000 }
            sockaddr{ len=28 family=10 port=0
              flowinfo=0x00000000, scope_id=0x00000000
             fd770000 00000000 00000000 00000001  }
            sadb_ext{ len=5 type=6 }
            sadb_address{ proto=255 prefixlen=128 reserved=0x0000 }
            sockaddr{ len=28 family=10 port=500
              flowinfo=0x00000000, scope_id=0x00000003
             fe800000 00000000 00000000 00000002  }

            """));
    }

    /// <summary>The reference's own diagnostics: a zero-length extension and one it does not know end the listing.</summary>
    [Test]
    public void MalformedAndUnknownExtensionsStopTheListing()
    {
        var zero = new Sadb(type: 3, satype: 3, seq: 0, pid: 1).Extension(1, new byte[12]).ToArray();
        zero[16] = 0; // sadb_ext_len 0
        var unknown = new Sadb(type: 14, satype: 0, seq: 0, pid: 1).Extension(24, new byte[12]).Extension(1, new byte[12]).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(KdebugFormatter.Format(zero), Does.EndWith("sadb_ext{ len=0 type=1 }\nkdebug_sadb: invalid ext_len=0 was passed.\n"));
            Assert.That(KdebugFormatter.Format(unknown), Does.EndWith("sadb_ext{ len=2 type=24 }\nkdebug_sadb: invalid ext_type 24 was passed.\n"));
        });
    }

    [Test]
    public void MessageLongerThanItsBytesStopsAtTheEnd()
    {
        var message = AddEspMessage()[..40];
        Assert.That(KdebugFormatter.Format(message), Does.EndWith("sadb_ext{ len=4 type=9 }\nkdebug_sadb: ext_len exceeds end of buffer.\n"));
    }

    [Test]
    public void HexDumpOfSixteenBytesAndMore()
    {
        var bytes = AddEspMessage()[..20];
        Assert.That(HexDump.Format(bytes), Is.EqualTo(
            "00000000: 02 03 00 03 13 00 00 00 00 00 00 00 92 10 00 00 \n" +
            "00000010: 04 00 09 00 \n"));
        Assert.That(HexDump.Format(bytes.AsSpan(0, 16)), Is.EqualTo("00000000: 02 03 00 03 13 00 00 00 00 00 00 00 92 10 00 00 \n"));
    }

    private static byte[] Request(ushort proto, byte mode, byte level, uint reqid, string source, string destination)
    {
        var r = new byte[48];
        BinaryPrimitives.WriteUInt16LittleEndian(r, 48);
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(2), proto);
        r[4] = mode;
        r[5] = level;
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(8), reqid);
        Sadb.Sockaddr(IPAddress.Parse(source), 0).CopyTo(r, 16);
        Sadb.Sockaddr(IPAddress.Parse(destination), 0).CopyTo(r, 32);
        return r;
    }

    /// <summary>A PF_KEY message written field by field (little-endian host, as on x86-64 and arm64).</summary>
    internal sealed class Sadb
    {
        private readonly List<byte> bytes = [];

        public Sadb(byte type, byte satype, uint seq, uint pid)
        {
            bytes.AddRange([2, type, 0, satype, 0, 0, 0, 0]);
            bytes.AddRange(Le32(seq));
            bytes.AddRange(Le32(pid));
        }

        /// <summary>An extension: its header (length in words, type), then the body zero-padded to 8 bytes.</summary>
        public Sadb Extension(ushort type, byte[] body)
        {
            var size = (4 + body.Length + 7) / 8 * 8;
            bytes.AddRange(Le16((ushort)(size / 8)));
            bytes.AddRange(Le16(type));
            bytes.AddRange(body);
            bytes.AddRange(new byte[size - 4 - body.Length]);
            return this;
        }

        public Sadb Key(ushort type, byte[] key) => Extension(type, [.. Le16((ushort)(key.Length * 8)), 0, 0, .. key]);

        public Sadb Sa(uint spi, byte replay, byte state, byte auth, byte encrypt, uint flags)
        {
            var spiBytes = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(spiBytes, spi);
            return Extension(1, [.. spiBytes, replay, state, auth, encrypt, .. Le32(flags)]);
        }

        public Sadb Sa2(byte mode, uint reqid) => Extension(19, [mode, 0, 0, 0, .. Le32(0), .. Le32(reqid)]);

        public Sadb Lifetime(ushort type, uint allocations, ulong bytes, ulong addtime, ulong usetime) =>
            Extension(type, [.. Le32(allocations), .. Le64(bytes), .. Le64(addtime), .. Le64(usetime)]);

        public Sadb Address(ushort type, byte proto, byte prefix, string address, ushort port = 0) =>
            Extension(type, [proto, prefix, 0, 0, .. Sockaddr(IPAddress.Parse(address), port)]);

        public Sadb Policy(ushort type, byte dir, uint id, uint priority, params byte[][] requests) =>
            Extension(18, [.. Le16(type), dir, 0, .. Le32(id), .. Le32(priority), .. requests.SelectMany(r => r)]);

        public byte[] ToArray()
        {
            var message = bytes.ToArray();
            BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), (ushort)(message.Length / 8));
            return message;
        }

        /// <summary>Linux sockaddr_in (16 bytes) or sockaddr_in6 (28): family little-endian, port and address big-endian.</summary>
        public static byte[] Sockaddr(IPAddress address, ushort port)
        {
            var v6 = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
            var s = new byte[v6 ? 28 : 16];
            BinaryPrimitives.WriteUInt16LittleEndian(s, (ushort)(v6 ? 10 : 2));
            BinaryPrimitives.WriteUInt16BigEndian(s.AsSpan(2), port);
            address.GetAddressBytes().CopyTo(s, v6 ? 8 : 4);
            if (v6)
                BinaryPrimitives.WriteUInt32LittleEndian(s.AsSpan(24), (uint)address.ScopeId);
            return s;
        }

        private static byte[] Le16(ushort v) => BitConverter.GetBytes(v);

        private static byte[] Le32(uint v) => BitConverter.GetBytes(v);

        private static byte[] Le64(ulong v) => BitConverter.GetBytes(v);
    }
}
