using System.Buffers.Binary;
using System.Text;

namespace KernelIpsec.Keyd.AdminProtocol;

/// <summary>
/// <c>struct admin_com_psk</c> after the indexes of ADMIN_ESTABLISH_SA_PSK (racoonctl establish-sa -u, vpn-connect -u),
/// 24 bytes on x86_64, host byte order: <c>int id_type</c>, 4 bytes padding, <c>size_t id_len @8</c>,
/// <c>size_t key_len @16</c>, then the login and the password, each NUL-terminated and counted with its NUL.
/// racoonctl sends <c>id_type</c> IDTYPE_USERFQDN.
/// </summary>
internal sealed record AdminPsk(int IdType, string Login, byte[] Password)
{
    public const int Size = 24;

    /// <summary>racoon's ipsec_doi.h IDTYPE_USERFQDN.</summary>
    public const int IdTypeUserFqdn = 2;

    public byte[] ToBytes()
    {
        var login = Encoding.UTF8.GetBytes(Login);
        var bytes = new byte[Size + login.Length + 1 + Password.Length + 1];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, IdType);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), (ulong)login.Length + 1);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16), (ulong)Password.Length + 1);
        login.CopyTo(bytes, Size);
        Password.CopyTo(bytes, Size + login.Length + 1);
        return bytes;
    }

    /// <summary>Reads one; the strings end at their first NUL (racoon copies id_len/key_len bytes and uses them as C strings).</summary>
    public static AdminPsk Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
            throw new FormatException($"admin_com_psk needs {Size} bytes, got {source.Length}");
        var idType = BinaryPrimitives.ReadInt32LittleEndian(source);
        var idLength = BinaryPrimitives.ReadUInt64LittleEndian(source[8..]);
        var keyLength = BinaryPrimitives.ReadUInt64LittleEndian(source[16..]);
        var rest = source[Size..];
        if (idLength > (ulong)rest.Length || keyLength > (ulong)rest.Length - idLength)
            throw new FormatException($"admin_com_psk lengths {idLength}+{keyLength} exceed the {rest.Length} bytes sent");
        var id = CString(rest[..(int)idLength]);
        var key = CString(rest.Slice((int)idLength, (int)keyLength));
        return new AdminPsk(idType, Encoding.UTF8.GetString(id), key.ToArray());
    }

    private static ReadOnlySpan<byte> CString(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        return end < 0 ? bytes : bytes[..end];
    }

    public override string ToString() => $"AdminPsk {{ IdType = {IdType}, Login = {Login} }}";
}
