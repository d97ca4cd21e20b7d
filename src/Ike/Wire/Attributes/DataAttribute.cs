using System.Buffers.Binary;

namespace KernelIpsec.Ike.Wire;

/// <summary>
/// A data attribute (RFC 2408 §3.3) of a Transform or ATTR payload, in either form: basic
/// (TV, AF=1, a 16-bit value) or variable (TLV, AF=0). The form read is kept, so writing
/// what was read gives the same bytes (the SA body is hashed in RFC 2409 §5).
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// !A!       Attribute Type        !    AF=0  Attribute Length     !
/// !F!                             !    AF=1  Attribute Value      !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// .                   AF=0  Attribute Value                       .
/// .                   AF=1  Not Transmitted                       .
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public readonly struct DataAttribute : IEquatable<DataAttribute>
{
    private const ushort FormatBit = 0x8000;
    private readonly byte[]? value;

    private DataAttribute(ushort type, bool isBasic, ushort basicValue, byte[]? value)
    {
        if (type >= FormatBit)
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "attribute types are 15 bits");
        }

        Type = type;
        IsBasic = isBasic;
        BasicValue = basicValue;
        this.value = value;
    }

    /// <summary>The attribute type without the AF bit (see <see cref="Phase1AttributeType"/>, <see cref="IpsecAttributeType"/>, <see cref="ModeCfgAttributeType"/>).</summary>
    public ushort Type { get; }

    /// <summary>True for the TV form (AF=1).</summary>
    public bool IsBasic { get; }

    /// <summary>The value of a basic attribute (0 for a variable one).</summary>
    public ushort BasicValue { get; }

    /// <summary>The value of a variable attribute (empty for a basic one).</summary>
    public ReadOnlySpan<byte> VariableValue => value;

    /// <summary>Bytes on the wire.</summary>
    public int Length => IsBasic ? 4 : 4 + (value?.Length ?? 0);

    public static DataAttribute Basic(ushort type, ushort value) => new(type, true, value, null);

    public static DataAttribute Variable(ushort type, ReadOnlySpan<byte> value)
    {
        if (value.Length > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value.Length, "a variable attribute holds at most 65535 bytes");
        }

        return new DataAttribute(type, false, 0, value.ToArray());
    }

    /// <summary>A variable attribute holding a 32-bit big-endian number (life durations, as racoon sends them).</summary>
    public static DataAttribute Variable32(ushort type, uint value)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new DataAttribute(type, false, 0, bytes);
    }

    /// <summary>Basic when the value fits 16 bits, else the shortest variable form of 4 or 8 bytes.</summary>
    public static DataAttribute Integer(ushort type, ulong value)
    {
        if (value <= ushort.MaxValue)
        {
            return Basic(type, (ushort)value);
        }

        if (value <= uint.MaxValue)
        {
            return Variable32(type, (uint)value);
        }

        byte[] bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return new DataAttribute(type, false, 0, bytes);
    }

    /// <summary>The value as a number: a basic value, or a variable value of at most 8 significant bytes.</summary>
    public bool TryGetInteger(out ulong value)
    {
        if (IsBasic)
        {
            value = BasicValue;
            return true;
        }

        value = 0;
        ReadOnlySpan<byte> bytes = this.value;
        int start = 0;
        while (start < bytes.Length && bytes[start] == 0)
        {
            start++;
        }

        if (bytes.Length - start > 8)
        {
            return false;
        }

        for (int i = start; i < bytes.Length; i++)
        {
            value = value << 8 | bytes[i];
        }

        return true;
    }

    public void Write(Span<byte> destination)
    {
        if (IsBasic)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(Type | FormatBit));
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], BasicValue);
            return;
        }

        ReadOnlySpan<byte> value = this.value;
        BinaryPrimitives.WriteUInt16BigEndian(destination, Type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)value.Length);
        value.CopyTo(destination[4..]);
    }

    /// <summary>
    /// Reads every attribute of <paramref name="source"/> (which must be filled exactly).
    /// Validates first, then allocates the array once.
    /// </summary>
    public static WireResult<DataAttribute[]> ReadAll(ReadOnlySpan<byte> source, string owner)
    {
        int count = 0;
        int offset = 0;
        while (offset < source.Length)
        {
            if (source.Length - offset < 4)
            {
                return WireError.Malformed($"{owner}: {source.Length - offset} bytes left, shorter than an attribute header");
            }

            ushort typeField = BinaryPrimitives.ReadUInt16BigEndian(source[offset..]);
            if ((typeField & FormatBit) != 0)
            {
                offset += 4;
            }
            else
            {
                int length = BinaryPrimitives.ReadUInt16BigEndian(source[(offset + 2)..]);
                if (length > source.Length - offset - 4)
                {
                    return WireError.Malformed($"{owner}: attribute {typeField} length {length} exceeds payload ({source.Length - offset - 4} bytes left)");
                }

                offset += 4 + length;
            }

            count++;
        }

        if (count == 0)
        {
            return WireResult<DataAttribute[]>.Ok([]);
        }

        var attributes = new DataAttribute[count];
        offset = 0;
        for (int i = 0; i < count; i++)
        {
            ushort typeField = BinaryPrimitives.ReadUInt16BigEndian(source[offset..]);
            ushort second = BinaryPrimitives.ReadUInt16BigEndian(source[(offset + 2)..]);
            if ((typeField & FormatBit) != 0)
            {
                attributes[i] = new DataAttribute((ushort)(typeField & ~FormatBit), true, second, null);
                offset += 4;
            }
            else
            {
                attributes[i] = new DataAttribute(typeField, false, 0, source.Slice(offset + 4, second).ToArray());
                offset += 4 + second;
            }
        }

        return WireResult<DataAttribute[]>.Ok(attributes);
    }

    internal static int TotalLength(DataAttribute[] attributes)
    {
        int total = 0;
        foreach (var attribute in attributes)
        {
            total += attribute.Length;
        }

        return total;
    }

    internal static int WriteAll(DataAttribute[] attributes, Span<byte> destination)
    {
        int offset = 0;
        foreach (var attribute in attributes)
        {
            attribute.Write(destination[offset..]);
            offset += attribute.Length;
        }

        return offset;
    }

    public bool Equals(DataAttribute other) => Type == other.Type && IsBasic == other.IsBasic
        && BasicValue == other.BasicValue && VariableValue.SequenceEqual(other.VariableValue);

    public override bool Equals(object? obj) => obj is DataAttribute other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Type, IsBasic, BasicValue, value?.Length ?? 0);

    public static bool operator ==(DataAttribute left, DataAttribute right) => left.Equals(right);

    public static bool operator !=(DataAttribute left, DataAttribute right) => !left.Equals(right);

    public override string ToString() => IsBasic ? $"{Type}={BasicValue}" : $"{Type}=0x{Convert.ToHexStringLower(value ?? [])}";
}
